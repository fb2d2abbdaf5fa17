/**
 * The provisioning HTTPS server: one Jetty server with the CA-issued certificate that carries every
 * route ({@code POST /v1/enroll} here, the relay's {@code /v1/messages}) and bounds what one client
 * may take (read deadline, connections per address, enrollment attempts). It owns the wire mapping
 * of enrollment; it must not reach into the registry, the CA's keys or the relay.
 */
package dev.holdfast.provisioning.api;
