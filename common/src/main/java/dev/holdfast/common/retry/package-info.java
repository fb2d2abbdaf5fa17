/** The backoff formula: exponential with full jitter, capped. Pure; randomness is passed in. */
package dev.holdfast.common.retry;
