package dev.forger.service.api;

import dev.forger.service.problem.ClientProblem;
import dev.forger.service.problem.ProblemType;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses query parameters the matched resource method does not take, naming the parameter and the nearest
 * valid one: {@code attack?method=pgd&eps=0.5} is a 400 ("did you mean epsilon?"), not a run at the default
 * ε. The valid names are read from the method itself ({@code @QueryParam}/{@code @RestQuery} parameters and
 * the fields of its {@code @BeanParam}s), once per method, so every endpoint is covered, including ones added
 * later, with nothing to keep in step. Runs after matching, so only the API's JAX-RS resources are checked;
 * Quarkus' own /q/* endpoints are not JAX-RS resources and keep their parameters.
 */
public class QueryParameterCheck {
    private final Map<Method, Set<String>> accepted = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void check(UriInfo uri, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        Set<String> valid = accepted.computeIfAbsent(method, QueryParameterCheck::queryParameters);
        for (String name : uri.getQueryParameters().keySet()) {
            if (!valid.contains(name)) {
                throw unknown(name, valid, method);
            }
        }
    }

    private static ClientProblem unknown(String name, Set<String> valid, Method method) {
        if (valid.isEmpty()) {
            boolean json = Arrays.asList(consumes(method)).contains(MediaType.APPLICATION_JSON);
            return new ClientProblem(ProblemType.UNKNOWN_PARAMETER, name, "unknown query parameter '" + name
                    + "': this endpoint takes no query parameters" + (json ? "; give '" + name
                    + "' in the JSON body instead" : "") + " (see /q/swagger-ui)");
        }
        String nearest = Suggestions.nearest(name, valid).orElseThrow();
        return new ClientProblem(ProblemType.UNKNOWN_PARAMETER, name, "unknown query parameter '" + name
                + "'; did you mean '" + nearest + "'? This endpoint takes " + String.join(", ", valid) + ".");
    }

    /** The query parameter names a resource method reads, in declaration order. */
    static Set<String> queryParameters(Method method) {
        Set<String> names = new LinkedHashSet<>();
        for (Parameter parameter : method.getParameters()) {
            addName(parameter.getAnnotations(), parameter.getName(), names);
            if (parameter.isAnnotationPresent(BeanParam.class)) {
                for (Class<?> type = parameter.getType(); type != null && type != Object.class;
                     type = type.getSuperclass()) {
                    for (Field field : type.getDeclaredFields()) {
                        addName(field.getAnnotations(), field.getName(), names);
                    }
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }

    private static void addName(Annotation[] annotations, String javaName, Set<String> names) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof QueryParam query) {
                names.add(query.value());
            } else if (annotation instanceof RestQuery query) {
                names.add(query.value().isEmpty() ? javaName : query.value());
            }
        }
    }

    private static String[] consumes(Method method) {
        Consumes consumes = method.isAnnotationPresent(Consumes.class) ? method.getAnnotation(Consumes.class)
                : method.getDeclaringClass().getAnnotation(Consumes.class);
        return consumes == null ? new String[0] : consumes.value();
    }
}
