/* Golden object for generator baselines: every scalar kind, enums of each width and sign,
 * nested structs, anonymous members, unions, arrays and bitfields, in global data and maps. */
#include "golden.h"

char _license[] SEC("license") = "GPL";

enum level { LEVEL_LOW = 0, LEVEL_HIGH = 7 };
enum small : __u8 { SMALL_A = 1, SMALL_B = 200 };
enum negative : short { NEG_MINUS = -2, NEG_ZERO = 0 };
enum wide : __u64 { WIDE_BIG = 0xfffffffffffULL };

struct inner {
	__u16 port;
	__u8 proto;
	__s8 delta;
};

union address {
	__u32 v4;
	__u8 v6[16];
};

struct flags {
	unsigned int enabled : 1;
	unsigned int mode : 3;
	int offset : 12;
	enum level level : 4;
	__u64 wide : 40;
};

struct record {
	__u8 u8;
	__s8 s8;
	__u16 u16;
	__s16 s16;
	__u32 u32;
	__s32 s32;
	__u64 u64;
	__s64 s64;
	bool flag;
	char letter;
	float ratio;
	double precise;
	enum level level;
	enum small small;
	enum negative negative;
	enum wide wide;
	struct inner inner;
	struct inner pair[2];
	union address addr;
	struct {
		__u32 first;
		__u32 second;
	} anon_named;
	union {
		__u32 as_u32;
		float as_float;
	};
	__u32 matrix[2][3];
	char name[12];
	void *pointer;
	struct flags bits;
};

/* Global data of every section kind. */
__u64 counter = 0;
struct record last_record = {};
__u32 histogram[8] = {};
__u32 value_data = 5;
char greeting[16] = "hi";
const volatile __u32 limit = 10;
const volatile enum level min_level = LEVEL_HIGH;
const volatile struct inner defaults = { .port = 80 };
__u64 custom_counter SEC(".data.custom") = 1;
static __u32 hidden = 3;

struct {
	__uint(type, 1); /* BPF_MAP_TYPE_HASH */
	__uint(max_entries, 64);
	__type(key, struct inner);
	__type(value, struct record);
} records SEC(".maps");

struct {
	__uint(type, 2); /* BPF_MAP_TYPE_ARRAY */
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, union address);
} addresses SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	counter += hidden + limit + custom_counter + value_data + greeting[0] + histogram[1];
	last_record.u8 = min_level + defaults.port;
	return 0;
}
