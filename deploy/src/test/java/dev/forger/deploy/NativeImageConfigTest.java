package dev.forger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service's native-image configuration against the ONNX Runtime jar it ships: every class and
 * constructor that libonnxruntime4j_jni.so looks up through JNI is registered, each registration names
 * a real constructor, and the linux-x64 libraries are included as resources.
 */
class NativeImageConfigTest {
    private static final String JNI_LIBRARY = "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so";
    private static final Pattern CLASS_NAME = Pattern.compile("ai/onnxruntime/[A-Za-z0-9_$/]+");
    private static final Pattern CONSTRUCTOR_DESCRIPTOR = Pattern.compile("\\((?:\\[?(?:[ZBCSIJFD]|L[A-Za-z0-9_$/]+;))*\\)V");

    private static List<String> jniStrings;
    private static JsonNode jniConfig;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = NativeImageConfigTest.class.getClassLoader().getResourceAsStream(JNI_LIBRARY)) {
            assertThat(in).as(JNI_LIBRARY + " in the onnxruntime jar").isNotNull();
            jniStrings = printableStrings(in.readAllBytes());
        }
        jniConfig = KubeObjects.JSON.readTree(Files.readString(Repo.nativeImageConfig().resolve("jni-config.json")));
    }

    @Test
    void everyClassTheJniLibraryLooksUpIsRegistered() {
        Set<String> looked = new HashSet<>();
        jniStrings.forEach(s -> { if (CLASS_NAME.matcher(s).matches()) looked.add(s.replace('/', '.')); });
        assertThat(looked).as("class names in the JNI library").contains("ai.onnxruntime.OnnxTensor", "ai.onnxruntime.OrtException");
        assertThat(registeredClasses()).containsAll(looked);
    }

    @Test
    void everyConstructorDescriptorOfTheJniLibraryIsRegisteredAndEveryRegistrationIsARealConstructor() throws Exception {
        Set<String> inLibrary = new HashSet<>();
        jniStrings.forEach(s -> { if (CONSTRUCTOR_DESCRIPTOR.matcher(s).matches()) inLibrary.add(s); });
        assertThat(inLibrary).as("constructor descriptors in the JNI library").hasSizeGreaterThanOrEqualTo(8);

        Set<String> registered = new HashSet<>();
        for (JsonNode type : jniConfig) {
            Class<?> cls = Class.forName(type.path("name").asText());
            for (JsonNode method : type.path("methods")) {
                assertThat(method.path("name").asText()).isEqualTo("<init>");
                List<Class<?>> params = new ArrayList<>();
                for (JsonNode p : method.path("parameterTypes")) {
                    params.add(typeOf(p.asText()));
                }
                Constructor<?> ctor = cls.getDeclaredConstructor(params.toArray(Class<?>[]::new));
                String descriptor = descriptor(ctor);
                assertThat(inLibrary).as(cls.getName() + descriptor + " is looked up by the JNI library").contains(descriptor);
                registered.add(descriptor);
            }
        }
        assertThat(registered).containsAll(inLibrary);
    }

    @Test
    void theLinuxX64LibrariesAreIncludedAsResourcesAndNothingElse() throws IOException {
        JsonNode includes = KubeObjects.JSON.readTree(Files.readString(Repo.nativeImageConfig().resolve("resource-config.json")))
                .path("resources").path("includes");
        List<Pattern> patterns = new ArrayList<>();
        includes.forEach(i -> patterns.add(Pattern.compile(i.path("pattern").asText())));
        for (String lib : List.of("libonnxruntime.so", "libonnxruntime4j_jni.so")) {
            String resource = "ai/onnxruntime/native/linux-x64/" + lib;
            assertThat(getClass().getClassLoader().getResource(resource)).as(resource).isNotNull();
            assertThat(patterns).as(resource).anyMatch(p -> p.matcher(resource).matches());
        }
        assertThat(patterns).noneMatch(p -> p.matcher("ai/onnxruntime/native/linux-aarch64/libonnxruntime.so").matches()
                || p.matcher("ai/onnxruntime/native/osx-x64/libonnxruntime.dylib").matches());
        String properties = Files.readString(Repo.nativeImageConfig().resolve("native-image.properties"));
        assertThat(properties).contains("--initialize-at-run-time=ai.onnxruntime");
    }

    private Set<String> registeredClasses() {
        Set<String> names = new HashSet<>();
        jniConfig.forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    private static Class<?> typeOf(String name) throws ClassNotFoundException {
        return switch (name) {
            case "int" -> int.class;
            case "long" -> long.class;
            case "boolean" -> boolean.class;
            case "float" -> float.class;
            case "double" -> double.class;
            default -> name.endsWith("[]") ? typeOf(name.substring(0, name.length() - 2)).arrayType() : Class.forName(name);
        };
    }

    private static String descriptor(Constructor<?> ctor) {
        StringBuilder sb = new StringBuilder("(");
        for (Class<?> p : ctor.getParameterTypes()) {
            sb.append(p.descriptorString());
        }
        return sb.append(")V").toString();
    }

    /** What `strings -n 3` prints: runs of printable ASCII. */
    private static List<String> printableStrings(byte[] bytes) {
        List<String> out = new ArrayList<>();
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f) {
                run.write(b);
            } else {
                if (run.size() >= 3) {
                    out.add(run.toString());
                }
                run.reset();
            }
        }
        return out;
    }
}
