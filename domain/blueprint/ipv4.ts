// Just enough IPv4 arithmetic to check that a gateway lies inside its network (the schema
// has already checked both are well formed).

function toNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function ipv4InCidr(address: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(toNumber(base) / size) * size;
  const n = toNumber(address);
  return n >= start && n < start + size;
}
