// Service keys the importer does not translate, each with why. The list of the ones that only
// warn is short on purpose: a key belongs there only when dropping it leaves what runs the
// same (domain/blueprint/README.md keeps the reasons in prose).

/** Ignored with a warning: the containers run the same without them. */
export const cosmeticKeys: Record<string, string> = {
  container_name: 'Clocker names containers <app>.<service>.<member>',
  logging: "members log to the Docker host's default driver, where `clocker logs` reads them",
  stdin_open: 'nobody attaches to a member: `clocker logs` shows its output',
  tty: 'nobody attaches to a member: `clocker logs` shows its output',
  attach: '`clocker logs` shows every member',
  develop: '`compose watch` is a development loop',
};

/** Refused, with the reason (and what to write instead). */
export const refusedKeys: Record<string, string> = {
  cap_drop: 'not honoured yet: the container would keep the capabilities the file drops',
  network_mode: "members join the application's networks; another network mode would change who can reach them",
  ipc: 'sharing another IPC namespace reaches outside the container',
  uts: "sharing the host's UTS namespace reaches outside the container",
  userns_mode: 'another user namespace changes what root in the container may do on the host',
  devices: 'host devices reach into the Docker host',
  device_cgroup_rules: 'host devices reach into the Docker host',
  security_opt: 'security options change what the container may do on the host',
  cgroup: 'cgroup namespaces are not supported',
  cgroup_parent: 'cgroup placement is not supported',
  volumes_from: "members of different services may run on different hosts, so one cannot mount another's volumes",
  external_links: 'containers outside the application are not linked',
  env_file: 'copy its variables into "environment" (reading other files is not supported yet)',
  extends: 'write the service out in full',
  secrets: 'use "$secret:NAME" as an environment value instead: Clocker resolves it when it starts a member',
  configs: 'bake the file into the image, or pass its content in "environment"',
  stop_grace_period: 'Clocker stops members with its own timeout',
  read_only: 'a read-only root file system is not supported yet',
  tmpfs: 'tmpfs mounts are not supported yet',
  shm_size: 'the shared-memory size is not supported yet',
  sysctls: 'kernel parameters are not supported',
  ulimits: 'ulimits are not supported yet',
  platform: 'Clocker runs the image built or pulled for the host',
  runtime: 'another container runtime is not supported',
  gpus: 'GPUs are not supported',
  domainname: 'a domain name is not supported',
  mac_address: 'a fixed MAC address is not supported',
  group_add: 'extra groups are not supported yet',
};

/** Top-level keys refused, with the reason. */
export const refusedTopKeys: Record<string, string> = {
  secrets: 'use "$secret:NAME" as an environment value instead: Clocker resolves it when it starts a member',
  configs: 'bake the file into the image, or pass its content in "environment"',
  include: 'put the services in this file',
};
