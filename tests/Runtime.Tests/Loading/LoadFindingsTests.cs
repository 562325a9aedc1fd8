using System;
using System.IO;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// Inputs LoadPlanFuzzTests found escaping load with another exception, kept as files (Findings/): each must now
/// be refused with a BpfException saying why, planned through a recording back-end (nothing reaches the kernel).
/// </summary>
[Collection("Kernel")]
public class LoadFindingsTests
{
    [KernelTheory]
    [InlineData("kconfig_entry_not_var.o", "DATASEC '.kconfig' entry")] // was ArgumentOutOfRange in the BTF patcher
    [InlineData("core_bitfield_of_size_zero.o", "bitfield")] // was DivideByZero in CO-RE
    public void AFindingFailsWithABpfExceptionThatSaysWhy(string file, string expected)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Findings", file));
        var error = Assert.ThrowsAny<BpfException>(() =>
        {
            using var obj = BpfObject.Open(bytes, file);
            ObjectLoader.Run(obj, new LoadPlan(obj), new RecordingBackend());
        });
        Assert.Contains(expected, error.ToString());
    }
}
