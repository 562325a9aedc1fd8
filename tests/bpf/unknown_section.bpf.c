/* A program in a section no SEC() convention knows (iproute2's old "classifier/0" spelling) beside one that
 * is known: the loader must not leave it silently unloaded, and a program type set before load must work. */
#include "common.h"

char _license[] SEC("license") = "GPL";

SEC("classifier/0")
int legacy_classifier(struct __sk_buff *skb)
{
	return 0; /* TC_ACT_OK */
}

SEC("socket")
int known_filter(struct __sk_buff *skb)
{
	return 0;
}
