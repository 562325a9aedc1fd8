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
        /// <summary>A signable loader's first step: its map is exclusive to it and holds the data it was recorded (and signed) with.</summary>
        CheckDataHash,
    }

    /// <summary>
    /// One syscall the loader program makes, in order: its kind, what it is about (a map or program index, or
    /// -1) and the words an error about it uses ("create map 'events' (RingBuf)").
    /// </summary>
    internal readonly record struct LoaderStep(LoaderStepKind Kind, int Subject, string Description);

    /// <summary>
    /// <paramref name="Length"/> bytes at <paramref name="Data"/> of the loader's data that the loader copies from
    /// <paramref name="Input"/> of the run's inputs; user space starts the inputs with the recorded bytes, so what
    /// the run does not decide stays as recorded.
    /// </summary>
    internal readonly record struct LoaderInput(int Data, int Input, int Length);

    /// <summary>A global data map's image: the object's current image goes at <paramref name="Input"/> of the run's inputs, and the loader copies it into its data.</summary>
    internal readonly record struct LoaderDataImage(int Map, int Input, int Length);
}

namespace BpfSkeleton.Light
{
    /// <summary>
    /// Where in the run's inputs user space puts the facts of the running kernel that attr fields wait for (the
    /// loader copies each into its attr): a struct_ops map's value_size and btf_vmlinux_value_type_id (<paramref name="Subject"/> is the map), a
    /// struct_ops program's attach_btf_id and expected_attach_type, or a USDT program's expected_attach_type
    /// (<paramref name="Second"/> unused) (the program).
    /// </summary>
    internal readonly record struct LoaderRunTimeField(int Subject, int First, int Second);
}
