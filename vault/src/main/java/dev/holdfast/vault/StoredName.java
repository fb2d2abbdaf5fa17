package dev.holdfast.vault;

/**
 * An enum constant as records store it: by a name fixed in the code beside the constant, never by
 * its ordinal (reordering the constants would silently change every stored record) nor by its Java
 * name (renaming one would make stored records unreadable). Once a name is stored, it stays.
 */
public interface StoredName {
  String storedName();
}
