/**
 * The model-bundle manifest ({@code manifest.json}), the contract between the trainer, which
 * writes bundles, and the service, which serves them (DESIGN.md "Model bundle").
 *
 * <ul>
 *   <li>{@link dev.forger.graph.manifest.BundleManifest}: the JSON as records.</li>
 *   <li>{@link dev.forger.graph.manifest.ManifestIo}: read/write with Jackson (unknown fields ignored).</li>
 *   <li>{@link dev.forger.graph.manifest.ManifestValidator}: every problem of a manifest and of its
 *       bundle directory (missing files, sha256 mismatches) as {@link dev.forger.graph.manifest.ManifestProblem}s.</li>
 *   <li>{@link dev.forger.graph.manifest.Sha256}: the checksum the manifest records.</li>
 * </ul>
 *
 * Loading bundles from directories or zips, and deciding what to do with a bad one, is the service's job.
 */
package dev.forger.graph.manifest;
