// What a machine needs for Clocker's quick start (and, with --lb, for examples/three-tier.yaml).
// The test suite needs more (an SSH rig, PostgreSQL…): .ci/run installs that.

/**
 * docker.io: the engine (with dockerd, iptables as its dependency); busybox-static: the binary
 * `clocker images` imports as clocker/busybox:1; iproute2: the engine's networking tools;
 * openssh-client: ssh-keygen for the SSH keys of hosts an infra file lists; ca-certificates:
 * Go's module proxy over HTTPS when the Temporal CLI is built.
 */
export const BASE_PACKAGES: readonly string[] = ['docker.io', 'busybox-static', 'iproute2', 'openssh-client', 'ca-certificates'];
/** debootstrap makes the Debian base image the nginx balancer is built on. */
export const LB_PACKAGES: readonly string[] = ['debootstrap'];

export const BASE_IMAGES: readonly string[] = ['clocker/busybox:1'];
export const LB_IMAGES: readonly string[] = ['clocker/debian:bookworm', 'clocker/nginx-lb:1'];

/** `go install` of the Temporal CLI v1.5.1 needs this Go. */
export const MIN_GO = '1.23';
