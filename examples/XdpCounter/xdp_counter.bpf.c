/* Counts packets and bytes arriving on an interface, by EtherType and IP protocol, in XDP. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char _license[] SEC("license") = "GPL";

#define ETH_P_IP 0x0800

struct packet_kind {
	__u16 ethertype;    /* host byte order */
	__u8 ip_protocol;   /* IPv4 only; 0 otherwise */
	__u8 padding;
};

struct packet_count {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct packet_kind);
	__type(value, struct packet_count);
} counts SEC(".maps");

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct packet_kind kind = {};
	struct packet_count *count;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	kind.ethertype = bpf_ntohs(eth->h_proto);
	if (kind.ethertype == ETH_P_IP) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) <= data_end)
			kind.ip_protocol = ip->protocol;
	}

	count = bpf_map_lookup_elem(&counts, &kind);
	if (!count) {
		struct packet_count zero = {};

		bpf_map_update_elem(&counts, &kind, &zero, BPF_NOEXIST);
		count = bpf_map_lookup_elem(&counts, &kind);
		if (!count)
			return XDP_PASS;
	}
	__sync_fetch_and_add(&count->packets, 1);
	__sync_fetch_and_add(&count->bytes, data_end - data);
	return XDP_PASS; /* count only; the packet goes on */
}
