/** Typed configuration of the service ({@code forger.*}). */
package dev.forger.service.config;
