/**
 * Adversarial attacks on a discriminator: white-box ones that follow the gradient graph's BCE gradient
 * (fgsm, fgm, bim, pgd, mifgsm, deepfool, cw, apgd) and black-box ones that only ask for logits (spsa,
 * square).
 *
 * <p>The shape follows Foolbox and torchattacks: everything attacks have in common lives once in shared
 * code, and each attack class says only what is specific to it.
 * <ul>
 *   <li>{@link dev.forger.service.attacks.AttackCatalog} resolves a client's {@link dev.forger.service.attacks.AttackRequest}
 *       into validated {@link dev.forger.service.attacks.AttackParameters} (defaults, bounds).</li>
 *   <li>{@link dev.forger.service.attacks.AttackRunner} scores the originals, turns goals into per-image BCE
 *       targets, runs the attack on the images that do not meet their goal yet, clips, quantizes, scores what it
 *       returns and reports success, norms and per-image call counts.</li>
 *   <li>{@link dev.forger.service.attacks.AttackContext} is what an attack sees: the originals, a
 *       {@link dev.forger.service.attacks.CountingAttackModel counting} model, the
 *       {@link dev.forger.service.attacks.EpsilonBall} (steps, projection, random starts) and one seeded random
 *       stream per run.</li>
 * </ul>
 * Units: images are NCHW float32 in [-1, 1] ("model units"); parameters and reported norms are in pixel
 * units of [0, 1], half of model units. Attacks run on the API's attack threads and block on the batchers'
 * futures; one ONNX Runtime run per step serves the whole batch.
 */
package dev.forger.service.attacks;
