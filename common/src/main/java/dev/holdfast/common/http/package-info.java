/** How an HTTP answer is read by whoever sends: status kinds, {@code Retry-After} (seconds and dates), URLs under a base. */
package dev.holdfast.common.http;
