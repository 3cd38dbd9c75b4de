package io.ringloop.bench.loop;

/** Thrown by an adapter that cannot run on this machine; carries what the report prints. */
public final class UnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Unavailable unavailable;

    /**
     * Wraps the description.
     *
     * @param unavailable the system and the cause
     */
    public UnavailableException(Unavailable unavailable) {
        super(unavailable.system() + " (" + unavailable.variant() + ") unavailable: " + unavailable.cause());
        this.unavailable = unavailable;
    }

    /**
     * The description.
     *
     * @return the system and the cause
     */
    public Unavailable unavailable() {
        return unavailable;
    }
}
