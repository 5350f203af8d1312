package dev.forger.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy (Debian's package, installed when missing) balancing round-robin over service
 * replicas on loopback ports, as a Kubernetes Service spreads requests over pods. A replica that
 * stops answering is taken out by its readiness check; a request that meets a dead replica before
 * that is retried on another one (redispatch), as kube-proxy's endpoints would no longer list it.
 */
final class Haproxy implements AutoCloseable {
    private final Process process;
    private final int port;

    private Haproxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Haproxy start(Path dir, List<Integer> backendPorts, String readinessPath) {
        Path haproxy = Tools.require("haproxy", "haproxy");
        int port = Ports.free();
        StringBuilder config = new StringBuilder("""
                global
                    maxconn 512
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 120s
                    timeout server 120s
                    retries 3
                    option redispatch 1
                    retry-on conn-failure empty-response response-timeout
                frontend forger
                    bind 127.0.0.1:%d
                    default_backend replicas
                backend replicas
                    balance roundrobin
                    option httpchk GET %s
                """.formatted(port, readinessPath));
        for (int i = 0; i < backendPorts.size(); i++) {
            config.append("    server replica-").append(i + 1).append(" 127.0.0.1:").append(backendPorts.get(i))
                    .append(" check inter 1s fall 2 rise 1\n");
        }
        try {
            Files.createDirectories(dir);
            Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), config);
            Tools.run(dir, 30, haproxy.toString(), "-c", "-f", cfg.toString()).orFail();
            Process process = new ProcessBuilder(haproxy.toString(), "-db", "-f", cfg.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            // a loaded machine can take seconds before haproxy binds: wait for the port, not a fixed time
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                if (!process.isAlive()) {
                    throw new AssertionError("haproxy exited at start:\n" + Files.readString(dir.resolve("haproxy.log")));
                }
                try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        throw new AssertionError("haproxy did not listen on port " + port + " within 60 s:\n"
                                + Files.readString(dir.resolve("haproxy.log")));
                    }
                    ServiceProcess.sleep(200);
                }
            }
            return new Haproxy(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port + pathAndQuery;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
