package io.ringloop;

import io.ringloop.binding.EpollKernel;
import io.ringloop.binding.FeatureMask;
import io.ringloop.binding.KernelFeature;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Under a kernel profile ({@code ./ringloop test --kernels} turns this on), a test that asks for what the profile's
 * release lacks is refused with an {@link UnsupportedOperationException} naming the release that has it: the test
 * ends as skipped, with the refusal as its reason. A refusal of something the profile's release has still fails.
 * The epoll backend's run (the {@code IO_URING} mask) counts as the release its rings emulate. Registered through
 * the service loader for the profile runs only.
 */
public final class KernelProfileAbort implements TestExecutionExceptionHandler {
    private static final Pattern NEEDS = Pattern.compile("\\(Linux (\\d+\\.\\d+)\\+\\)");

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        String profile = System.getProperty(FeatureMask.PROFILE_PROPERTY);
        if (profile == null && FeatureMask.parse(System.getProperty(FeatureMask.PROPERTY)).hidesIoUring()) {
            // The epoll backend's run: its rings are a 5.11 kernel's.
            profile = EpollKernel.RELEASE;
        }
        if (profile != null) {
            for (Throwable t = thrown; t != null; t = t.getCause()) {
                if (t instanceof UnsupportedOperationException && t.getMessage() != null) {
                    Matcher m = NEEDS.matcher(t.getMessage());
                    if (m.find() && KernelFeature.release(m.group(1)) > KernelFeature.release(profile)) {
                        throw new TestAbortedException("kernel profile " + profile + ": " + t.getMessage(), thrown);
                    }
                }
            }
        }
        throw thrown;
    }
}
