package dev.forger.service.attacks;

/** An attack with the parameters it will run with. */
public record ResolvedAttack(Attack attack, AttackParameters parameters) {}
