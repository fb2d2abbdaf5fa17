/** What the crash harness needs in both programs: halting right after a named step. */
package dev.holdfast.common.testing;
