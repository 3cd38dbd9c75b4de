package io.ringloop.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./ringloop example echo|http|copy|vt-echo|vt-http|vt-cat}: the example programs. */
@Command(name = "example", mixinStandardHelpOptions = true, description = "ringloop example programs",
        subcommands = {EchoServerMain.class, HttpServerMain.class, CopyMain.class, VtEchoMain.class,
                VtHttpMain.class, VtCatMain.class})
public final class Examples implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /**
     * Runs an example.
     *
     * @param args the subcommand and its options
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Examples()).execute(args));
    }
}
