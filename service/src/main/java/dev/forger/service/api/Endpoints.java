package dev.forger.service.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JAX-RS endpoints of the service as their annotations declare them (path, HTTP method, consumed media
 * types), read once from the resource classes. Errors raised before a resource method is chosen (415 for a
 * Content-Type no method of the path consumes, 405 for a method it does not answer) use it to say what this
 * path takes, for every resource, including ones added later, without a list to keep in step.
 */
@ApplicationScoped
public class Endpoints {
    /** One resource method: {@code POST /api/v1/score} consuming image/png, …. */
    record Endpoint(String httpMethod, String template, Pattern path, List<String> consumes) {}

    private final BeanManager beans;
    private volatile List<Endpoint> endpoints;

    public Endpoints(BeanManager beans) {
        this.beans = beans;
    }

    /** The media types that {@code httpMethod} on {@code path} consumes, over all its resource methods; empty when none match. */
    public Set<String> consumes(String httpMethod, String path) {
        Set<String> types = new LinkedHashSet<>();
        String normalised = path.startsWith("/") ? path : "/" + path;
        for (Endpoint endpoint : all()) {
            if (endpoint.httpMethod().equalsIgnoreCase(httpMethod) && endpoint.path().matcher(normalised).matches()) {
                types.addAll(endpoint.consumes());
            }
        }
        return types;
    }

    /** The HTTP methods {@code path} answers, e.g. {@code GET, DELETE}; empty when no resource matches it. */
    public Set<String> methods(String path) {
        Set<String> methods = new java.util.TreeSet<>();
        String normalised = path.startsWith("/") ? path : "/" + path;
        for (Endpoint endpoint : all()) {
            if (endpoint.path().matcher(normalised).matches()) {
                methods.add(endpoint.httpMethod());
            }
        }
        return methods;
    }

    List<Endpoint> all() {
        List<Endpoint> known = endpoints;
        if (known == null) {
            known = scan();
            endpoints = known;
        }
        return known;
    }

    private List<Endpoint> scan() {
        List<Endpoint> found = new ArrayList<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String httpMethod = httpMethod(method);
                if (httpMethod == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String template = join(root.value(), sub == null ? "" : sub.value());
                Consumes consumes = method.isAnnotationPresent(Consumes.class) ? method.getAnnotation(Consumes.class)
                        : type.getAnnotation(Consumes.class);
                found.add(new Endpoint(httpMethod, template, pattern(template),
                        consumes == null ? List.of("*/*") : List.of(consumes.value())));
            }
        }
        return List.copyOf(found);
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** {@code /api/v1/evaluate/{id}} matches {@code /api/v1/evaluate/2f0c}; a trailing slash is forgiven. */
    private static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex + "/?");
    }
}
