/** JSON as Holdfast writes it: one small writer, no dependency. */
package dev.holdfast.protocol.json;
