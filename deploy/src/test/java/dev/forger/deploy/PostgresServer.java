package dev.forger.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real PostgreSQL (Debian's package, installed when missing) in a temporary data directory on a
 * free loopback port, for as long as a test needs it. PostgreSQL refuses to run as root, so as root
 * its commands run as the package's {@code postgres} user ({@code runuser}), which owns the data.
 */
final class PostgresServer implements AutoCloseable {
    static final String USER = "forger";
    static final String DATABASE = "postgres";

    private final Path bin;
    private final Path dir;
    private final int port;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    static PostgresServer start() {
        Path bin = binaries();
        try {
            Path dir = Files.createTempDirectory("forger-postgres-");
            boolean root = isRoot();
            if (root) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            PostgresServer server = new PostgresServer(bin, dir, Ports.free());
            server.asOwner(120, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "--auth=trust", "-E", "UTF8", "--no-sync").orFail();
            server.asOwner(120, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("postgres.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + server.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start").orFail();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDBC URL the service takes in QUARKUS_DATASOURCE_JDBC_URL. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    int port() {
        return port;
    }

    /** Runs one SQL statement with psql and returns its unaligned, tuples-only output. */
    String query(String sql) {
        return asOwner(60, bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER,
                "-d", DATABASE, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql).orFail().strip();
    }

    private Tools.Result asOwner(long timeoutSeconds, String... command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return Tools.run(dir, timeoutSeconds, full.toArray(String[]::new));
    }

    @Override
    public void close() {
        asOwner(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        try { // keep the server's log beside the other logs of the test
            Path log = Files.createDirectories(Repo.work()).resolve("postgres.log");
            Files.copy(dir.resolve("postgres.log"), log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // no log to keep
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    /** initdb, pg_ctl and psql of the newest installed major version, installing Debian's postgresql if needed. */
    private static Path binaries() {
        return newestBin().orElseGet(() -> {
            Tools.aptInstall("postgresql");
            return newestBin().orElseThrow(() -> new AssertionError("no /usr/lib/postgresql/*/bin/initdb after"
                    + " 'apt-get install postgresql'; install PostgreSQL by hand"));
        });
    }

    private static Optional<Path> newestBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        List<Path> bins = new ArrayList<>();
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
            versions.forEach(v -> bins.add(v.resolve("bin")));
        } catch (IOException e) {
            return Optional.empty();
        }
        return bins.stream().filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("psql")))
                .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
