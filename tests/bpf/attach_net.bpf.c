/* Network hooks: cgroup egress and socket creation, XDP and tcx on a veth, netkit,
 * netfilter, sk_lookup and sk_msg. Every program lets traffic through. */
#include "attach_counts.h"

char LICENSE[] SEC("license") = "GPL";

SEC("cgroup_skb/egress")
int on_cgroup_egress(struct __sk_buff *skb)
{
	count(SLOT_CGROUP_EGRESS);
	return 1;
}

SEC("cgroup/sock_create")
int on_sock_create(struct bpf_sock *sk)
{
	count(SLOT_SOCK_CREATE);
	return 1;
}

SEC("xdp")
int on_xdp(struct xdp_md *ctx)
{
	count(SLOT_XDP);
	return XDP_PASS;
}

SEC("tcx/ingress")
int on_tcx(struct __sk_buff *skb)
{
	count(SLOT_TCX);
	return -1; /* TCX_NEXT */
}

SEC("netkit/primary")
int on_netkit(struct __sk_buff *skb)
{
	count(SLOT_NETKIT);
	return -1; /* NETKIT_NEXT */
}

SEC("netfilter")
int on_netfilter(struct bpf_nf_ctx *ctx)
{
	count(SLOT_NETFILTER);
	return 1; /* NF_ACCEPT */
}

SEC("sk_lookup")
int on_sk_lookup(struct bpf_sk_lookup *ctx)
{
	count(SLOT_SK_LOOKUP);
	return SK_PASS;
}

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} sockets SEC(".maps");

SEC("sk_msg")
int on_sk_msg(struct sk_msg_md *msg)
{
	count(SLOT_SK_MSG);
	return SK_PASS;
}
