package io.ringloop.io;

import io.ringloop.binding.Syscalls;

import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/** {@link AsyncFile#open}'s options as the flags of {@code open(2)}, as {@code FileChannel.open} reads them. */
final class OpenFlags {
    private static final int O_NOFOLLOW = 0x20000;

    private OpenFlags() {
    }

    /**
     * The JDK's {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, fetched by name: naming the class would tie this
     * module to {@code jdk.unsupported} and warn of a proprietary API at every build. Null if this JDK has none.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static OpenOption jdkDirect() {
        try {
            Class<? extends Enum> c = (Class<? extends Enum>) Class.forName("com.sun.nio.file.ExtendedOpenOption");
            return (OpenOption) Enum.valueOf(c, "DIRECT");
        } catch (ReflectiveOperationException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    /**
     * The flags of {@code open(2)} for these options.
     *
     * @throws UnsupportedOperationException for an option AsyncFile does not offer
     */
    static int of(OpenOption... options) {
        boolean read = false;
        boolean write = false;
        int flags = Syscalls.O_CLOEXEC;
        for (OpenOption o : options) {
            Objects.requireNonNull(o, "option");
            if (o == StandardOpenOption.READ) {
                read = true;
            } else if (o == StandardOpenOption.WRITE) {
                write = true;
            } else if (o == StandardOpenOption.APPEND) {
                write = true;
                flags |= Syscalls.O_APPEND;
            } else if (o == StandardOpenOption.CREATE) {
                flags |= Syscalls.O_CREAT;
            } else if (o == StandardOpenOption.CREATE_NEW) {
                flags |= Syscalls.O_CREAT | Syscalls.O_EXCL;
            } else if (o == StandardOpenOption.TRUNCATE_EXISTING) {
                flags |= Syscalls.O_TRUNC;
            } else if (o == StandardOpenOption.SYNC) {
                flags |= Syscalls.O_SYNC;
            } else if (o == StandardOpenOption.DSYNC) {
                flags |= Syscalls.O_DSYNC;
            } else if (o == LinkOption.NOFOLLOW_LINKS) {
                flags |= O_NOFOLLOW;
            } else if (o == AsyncFile.DIRECT) {   // o is not null: checked above
                flags |= Syscalls.O_DIRECT;
            } else {
                throw new UnsupportedOperationException("open option " + o + " is not supported by AsyncFile");
            }
        }
        if (!write) {
            // As FileChannel: creating or truncating needs WRITE; without WRITE they are ignored.
            flags &= ~(Syscalls.O_CREAT | Syscalls.O_EXCL | Syscalls.O_TRUNC);
        }
        return flags | (write ? (read ? Syscalls.O_RDWR : Syscalls.O_WRONLY) : Syscalls.O_RDONLY);
    }
}
