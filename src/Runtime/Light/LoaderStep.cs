namespace BpfSkeleton.Light
{
    /// <summary>What one step of a light skeleton's loader does, for the error that names a failed step.</summary>
    internal enum LoaderStepKind : byte
    {
        LoadBtf,
        CreateMap,
        WriteMap,
        FreezeMap,
        LoadProgram,
        FindKernelType,
        FindKernelSymbol,
        CloseTemporary,
    }

    /// <summary>
    /// One syscall the loader program makes, in order: its kind, what it is about (a map or program index, or
    /// -1) and the words an error about it uses ("create map 'events' (RingBuf)").
    /// </summary>
    internal readonly record struct LoaderStep(LoaderStepKind Kind, int Subject, string Description);

    /// <summary>A global data map's image inside the loader's data: replaced by the object's current image before each run.</summary>
    internal readonly record struct LoaderDataImage(int Map, int Offset, int Length);
}

namespace BpfSkeleton.Light
{
    /// <summary>
    /// Where in the loader's data attr fields wait for facts of the running kernel, set by user space before the
    /// run: a struct_ops map's value_size and btf_vmlinux_value_type_id (<paramref name="Subject"/> is the map), a
    /// struct_ops program's attach_btf_id and expected_attach_type, or a USDT program's expected_attach_type
    /// (<paramref name="Second"/> unused) (the program).
    /// </summary>
    internal readonly record struct LoaderRunTimeField(int Subject, int First, int Second);
}
