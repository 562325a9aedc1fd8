/* A shared library for uprobe tests, built by the tests with gcc. Its text is
 * linked at a shifted address (-Ttext-segment), so symbol addresses differ
 * from file offsets and only a PT_LOAD-based translation finds the code. */
__attribute__((noinline)) int bpfsk_add(int a, int b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

/* Local: only in .symtab, not in .dynsym. */
static __attribute__((noinline, used)) int bpfsk_hidden(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * 2;
}

int bpfsk_call_hidden(int x)
{
	return bpfsk_hidden(x) + 1;
}
