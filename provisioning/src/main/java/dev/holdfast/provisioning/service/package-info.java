/**
 * The provisioning service on the fleet broker: its own MQTT v5 connection (client certificate
 * CN {@code holdfast.provisioning}), reconnecting with capped, jittered backoff; the responder to
 * devices' {@code prov/req}; operator commands such as ping; closing a revoked device's open
 * session by taking it over ({@code SessionTakeover}). It never touches the HTTPS API or
 * the registry's internals, and holds no CA key (signing is asked of {@code ca}).
 */
package dev.holdfast.provisioning.service;
