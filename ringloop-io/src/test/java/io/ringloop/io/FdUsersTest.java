package io.ringloop.io;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The transitions of {@link FdUsers}, one thread at a time (the races are jcstress's FdUsersCloseTest). */
class FdUsersTest {
    @Test
    void aCloseWithNobodyInsideReleasesAtOnceAndRefusesEveryLaterCaller() {
        FdUsers users = new FdUsers();
        assertThat(users.close()).as("nobody inside").isTrue();
        assertThat(users.enter()).as("a caller after the close").isFalse();
        assertThat(users.idle()).isTrue();
    }

    @Test
    void theLastCallerOutOfAClosedChannelReleases() {
        FdUsers users = new FdUsers();
        assertThat(users.enter()).isTrue();
        assertThat(users.enter()).isTrue();
        assertThat(users.exit()).as("out of an open channel").isFalse();
        assertThat(users.enter()).isTrue();
        assertThat(users.close()).as("two inside").isFalse();
        assertThat(users.enter()).as("a caller after the close").isFalse();
        assertThat(users.idle()).isFalse();
        assertThat(users.exit()).as("one still inside").isFalse();
        assertThat(users.exit()).as("the last one out").isTrue();
        assertThat(users.idle()).isTrue();
    }
}
