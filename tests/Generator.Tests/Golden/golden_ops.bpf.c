/* Golden struct_ops object for generator baselines: a local definition of a struct_ops type
 * with function pointers, every scalar kind, a name, a nested struct, an array and a data pointer. */
#include "golden.h"

char _license[] SEC("license") = "GPL";

enum ops_mode { OPS_MODE_OFF = 0, OPS_MODE_ON = 1 };

struct ops_limits {
	__u32 min;
	__u32 max;
	char tag[4];
};

struct module;

struct sample_ops {
	int (*init)(void);
	void (*release)(void);
	__u32 (*compute)(__u32 value);
	__u8 u8;
	__s8 s8;
	__u16 u16;
	__s16 s16;
	__u32 flags;
	__s32 s32;
	__u64 u64;
	__s64 s64;
	bool enabled;
	enum ops_mode mode;
	float ratio;
	double precise;
	struct ops_limits limits;
	__u32 weights[4];
	char name[16];
	struct module *owner;
};

SEC("struct_ops/ops_init")
int ops_init(void)
{
	return 0;
}

SEC("struct_ops/ops_release")
void ops_release(void)
{
}

SEC("struct_ops/ops_compute")
__u32 ops_compute(__u32 value)
{
	return value * 2;
}

SEC("struct_ops/ops_compute_alt")
__u32 ops_compute_alt(__u32 value)
{
	return value + 1;
}

SEC(".struct_ops")
struct sample_ops sample = {
	.init = (void *)ops_init,
	.release = (void *)ops_release,
	.compute = (void *)ops_compute,
	.flags = 3,
	.mode = OPS_MODE_ON,
	.limits = { .min = 1, .max = 9, .tag = "ab" },
	.weights = { 1, 2, 3, 4 },
	.name = "golden",
};

SEC(".struct_ops.link")
struct sample_ops sample_link = {
	.compute = (void *)ops_compute_alt,
	.name = "golden_link",
};
