package io.ringloop;

/**
 * The thread of an {@link EventLoop}. A producer that finds itself on one is a loop, with a ring of its own from which
 * it can wake another loop by MSG_RING ({@link Doorbell#MSG_RING}); the check is a type test, paid only by a producer
 * that has already won a wake claim.
 */
final class LoopThread extends Thread {
    /** This thread's agent while it runs tasks; written and read by this thread only. */
    private LoopAgent agent;

    LoopThread(Runnable body, String name) {
        super(body, name);
    }

    void agent(LoopAgent value) {
        this.agent = value;
    }

    /**
     * The agent of the calling thread, if it is a loop thread running tasks.
     *
     * @return the agent, or null on any other thread
     */
    static LoopAgent currentAgent() {
        return Thread.currentThread() instanceof LoopThread t ? t.agent : null;
    }
}
