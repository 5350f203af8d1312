package dev.forger.service.inference;

/** The batcher's queue is full: the client should retry a little later (HTTP 503 + Retry-After). */
public class QueueFullException extends RuntimeException {
    private final String network;

    public QueueFullException(String network, int capacity) {
        super("the " + network + " queue is full (" + capacity + " requests waiting); retry shortly");
        this.network = network;
    }

    public String network() {
        return network;
    }
}
