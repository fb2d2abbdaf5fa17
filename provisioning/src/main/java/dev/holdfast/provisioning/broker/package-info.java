/**
 * Files for the fleet broker and its users: the ACL generated from the shipped base ACL (embedded
 * byte for byte) plus one read-only block per operator, checked and replaced atomically; the files
 * an operator is handed. It decides nothing about who is an operator (that is {@code ca}'s registry).
 */
package dev.holdfast.provisioning.broker;
