package io.ringloop.bench;

/** Placeholder while the module is being assembled. */
public final class Showdown {
    private Showdown() {
    }

    /**
     * Entry point.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("showdown");
    }
}
