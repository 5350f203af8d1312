/** Client-facing problems (RFC 9457) raised anywhere in the pipeline and rendered by the API layer. */
package dev.forger.service.problem;
