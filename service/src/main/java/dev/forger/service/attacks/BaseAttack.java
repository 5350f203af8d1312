package dev.forger.service.attacks;

import java.util.Set;

/**
 * The bookkeeping every attack shares (name, kind, parameters, defaults), so each class holds only its algorithm.
 * Every attack reads {@code skipAtGoal}: the runner applies it around all of them.
 */
abstract class BaseAttack implements Attack {
    private final String name;
    private final boolean usesGradients;
    private final AttackDefaults defaults;
    private final Set<String> parameterNames;

    BaseAttack(String name, boolean usesGradients, AttackDefaults defaults, String... parameterNames) {
        this.name = name;
        this.usesGradients = usesGradients;
        this.defaults = defaults;
        Set<String> names = new java.util.LinkedHashSet<>(java.util.List.of(parameterNames));
        names.add("skipAtGoal");
        this.parameterNames = Set.copyOf(names);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean usesGradients() {
        return usesGradients;
    }

    @Override
    public final Set<String> parameterNames() {
        return parameterNames;
    }

    @Override
    public final AttackDefaults defaults() {
        return defaults;
    }

    @Override
    public String toString() {
        return name;
    }
}
