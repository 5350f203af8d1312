package dev.forger.service.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The three roles, each including the ones before it: a {@value #READER} lists models, generates and scores; a
 * {@value #RESEARCHER} also attacks and evaluates, and sees and cancels their own evaluations; an
 * {@value #OPERATOR} also sees and cancels everyone's evaluations and loads and unloads bundles. Resources name
 * the least role an endpoint needs; {@link RoleAugmentor} gives every identity the roles its role includes, so an
 * issuer only has to grant one.
 */
public final class Roles {
    public static final String READER = "reader";
    public static final String RESEARCHER = "researcher";
    public static final String OPERATOR = "operator";

    /** Least to most. */
    public static final List<String> ALL = List.of(READER, RESEARCHER, OPERATOR);

    private Roles() {}

    /** The roles {@code granted} include: each role and every role below it. Roles Forger does not know stay. */
    public static Set<String> including(Set<String> granted) {
        Set<String> roles = new LinkedHashSet<>(granted);
        for (int i = ALL.size() - 1; i > 0; i--) {
            if (roles.contains(ALL.get(i))) {
                roles.add(ALL.get(i - 1));
            }
        }
        return roles;
    }

    /** Whether {@code role} is one of Forger's. */
    public static boolean known(String role) {
        return ALL.contains(role);
    }
}
