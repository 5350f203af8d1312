package dev.forger.trainer.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * {@code run.json}: what a run was, so that its results can be reproduced and compared.
 *
 * <p>Hyperparameter values come back from {@link #read} as JSON gives them: integers as
 * {@code Integer} (or {@code Long} when large), other numbers as {@code Double}, and nested maps
 * and lists as {@code LinkedHashMap} and {@code ArrayList}.
 *
 * @param args            the arguments the program got, exactly
 * @param command         the whole command, program and arguments, quoted for a POSIX shell
 * @param hyperparameters name to value, in the order given
 * @param dataset         what was trained on, in words
 * @param seed            the seed of the run's random numbers
 * @param startedAt       when the run started
 * @param javaVersion     the Java runtime, version and VM
 * @param nd4jVersion     ND4J's version, or {@code unknown} when its jar carries none
 */
public record RunInfo(List<String> args, String command, Map<String, Object> hyperparameters, String dataset,
                      long seed, Instant startedAt, String javaVersion, String nd4jVersion) {

    /** The file's name in a run directory. */
    public static final String FILE_NAME = "run.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // a newer trainer may record more; an older reader should still read what it knows
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(instantAsIsoText());

    public RunInfo {
        Objects.requireNonNull(args, "args is missing");
        Objects.requireNonNull(command, "command is missing");
        Objects.requireNonNull(startedAt, "startedAt is missing");
        // List.copyOf and Map.copyOf refuse nulls, which are legitimate here (an unset option)
        args = Collections.unmodifiableList(new ArrayList<>(args));
        hyperparameters = hyperparameters == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    }

    /** The run starting now, with this JVM's Java and ND4J versions; {@code program} heads the command. */
    public static RunInfo capture(String program, String[] args, Map<String, Object> hyperparameters,
                                  String dataset, long seed) {
        List<String> argList = Arrays.asList(args.clone());
        List<String> words = new ArrayList<>(argList.size() + 1);
        words.addAll(Arrays.asList(program.split(" ")));   // the program may be several words: java -jar …
        words.addAll(argList);
        return new RunInfo(argList, ShellQuoting.join(words), hyperparameters, dataset, seed, Instant.now(),
                currentJavaVersion(), currentNd4jVersion());
    }

    /** Writes {@code info} as JSON, replacing {@code file} atomically. */
    public static void write(Path file, RunInfo info) throws IOException {
        AtomicFiles.write(file, out -> JSON.writeValue(out, info));
    }

    /** Reads a file written by {@link #write}; a malformed one fails naming the file and the problem. */
    public static RunInfo read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readValue(in, RunInfo.class);
        } catch (JsonProcessingException e) {
            throw new IOException(file + where(e) + ": not a valid run description: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code :line:column} and the field at fault, as far as Jackson knows them. */
    private static String where(JsonProcessingException e) {
        StringBuilder where = new StringBuilder();
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            where.append(':').append(location.getLineNr()).append(':').append(location.getColumnNr());
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().get(mapping.getPath().size() - 1).getFieldName();
            if (field != null) {
                where.append(": field ").append(field);
            }
        }
        return where.toString();
    }

    static String currentJavaVersion() {
        return System.getProperty("java.runtime.version", System.getProperty("java.version"))
                + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("java.vm.name") + ")";
    }

    /**
     * Read from the nd4j-api jar's Maven metadata rather than from ND4J itself: asking ND4J would
     * load its native backend just to write a JSON file.
     */
    static String currentNd4jVersion() {
        try (InputStream in = RunInfo.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    // Jackson needs its jsr310 module for java.time; ISO-8601 text both ways is all this file needs.
    private static SimpleModule instantAsIsoText() {
        SimpleModule module = new SimpleModule("instant-as-iso-text");
        module.addSerializer(Instant.class, ToStringSerializer.instance);
        module.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString();
                try {
                    return Instant.parse(text);
                } catch (DateTimeParseException | NullPointerException e) {
                    return (Instant) ctxt.handleWeirdStringValue(Instant.class, text,
                            "not an ISO-8601 instant such as 2026-11-26T10:15:30Z");
                }
            }
        });
        return module;
    }
}
