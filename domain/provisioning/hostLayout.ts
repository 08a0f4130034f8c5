// Where Docker's files live on a provisioned host. Every path hangs off the host's `root`
// prefix, so several hosts sharing one filesystem (the test rig) never share a file; a real
// machine has root '' and gets the usual places.
export interface HostLayout {
  configDir: string;
  configFile: string;
  certDir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  dataRoot: string;
  execRoot: string;
  socketPath: string;
  pidFile: string;
  logFile: string;
  /** Hash of the daemon.json the running daemon was started with: a changed config means restart. */
  startedMarker: string;
}

export function hostLayout(root: string): HostLayout {
  const r = root.replace(/\/+$/, '');
  const configDir = `${r}/etc/clocker/docker`;
  const certDir = `${configDir}/tls`;
  return {
    configDir,
    configFile: `${configDir}/daemon.json`,
    certDir,
    caFile: `${certDir}/ca.pem`,
    certFile: `${certDir}/server-cert.pem`,
    keyFile: `${certDir}/server-key.pem`,
    dataRoot: `${r}/var/lib/docker`,
    execRoot: `${r}/run/clocker-docker`,
    socketPath: `${r}/run/clocker-docker.sock`,
    pidFile: `${r}/run/clocker-docker.pid`,
    logFile: `${r}/var/log/clocker-dockerd.log`,
    startedMarker: `${configDir}/started.sha256`,
  };
}
