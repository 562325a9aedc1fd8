using System;
using System.IO;
using System.Linq;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Light;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using BpfSkeleton.Runtime.Tests.Tool;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Light;

/// <summary>
/// Signed light skeleton loaders on the real kernel (Linux 6.18 BPF program signatures): signed by bpfsk with a
/// throwaway key, verified by the kernel against a fresh keyring holding its certificate.
/// </summary>
[Collection("Kernel")]
public class SignedLoaderTests
{
    /// <summary>bpfsk gen-loader --sign-key --sign-cert, as the build runs it; the image it wrote.</summary>
    private static BpfLoaderImage SignedByTool(string objectName, TestSigningKey key)
    {
        var output = Path.Combine(key.Directory, objectName + ".loader");
        var (code, text) = BpfskTests.Run("gen-loader", TestObjects.PathOf(objectName), "-o", output, "--sign-key", key.KeyPath, "--sign-cert", key.CertificatePath);
        Assert.True(code == 0, text);
        Assert.Contains("signed loader", text);
        return BpfLoaderImage.FromBytes(File.ReadAllBytes(output));
    }

    private static BpfObject Open(string name, int? keyring)
    {
        var obj = BpfObject.Open(TestObjects.PathOf(name), new BpfOpenOptions { LoaderKeyring = keyring });
        KernelRefusals.LeaveOut(obj);
        return obj;
    }

    [KernelFact(BpfProgramType.Syscall, nameof(FeatureProbes.SignableLoaders))]
    public void ASignedLoaderLoadsUnverifiedWhenNoKeyringIsNamed()
    {
        using var key = TestSigningKey.Create(TestSigningKey.Algorithm.Rsa);
        LoadsAsTheUnsignedOneDoes(SignedByTool("globals", key), keyring: null);
    }

    [KernelTheory(BpfProgramType.Syscall, nameof(FeatureProbes.SignedPrograms), KernelNeeds.TestRsaKeyring)]
    [InlineData(true)]
    [InlineData(false)] // no subject key identifier: the signer named by issuer and serial
    public void AnRsaSignedLoaderLoadsAgainstItsKeyringAsTheUnsignedOneDoes(bool withKeyIdentifier)
        => ASignedLoaderLoadsAgainstItsKeyringAsTheUnsignedOneDoes(TestSigningKey.Algorithm.Rsa, withKeyIdentifier);

    [KernelFact(BpfProgramType.Syscall, nameof(FeatureProbes.SignedPrograms), KernelNeeds.TestEcdsaKeyring)]
    public void AnEcdsaSignedLoaderLoadsAgainstItsKeyring()
        => ASignedLoaderLoadsAgainstItsKeyringAsTheUnsignedOneDoes(TestSigningKey.Algorithm.EcdsaP256, withKeyIdentifier: true);

    private static void ASignedLoaderLoadsAgainstItsKeyringAsTheUnsignedOneDoes(TestSigningKey.Algorithm algorithm, bool withKeyIdentifier)
    {
        using var key = TestSigningKey.Create(algorithm, withKeyIdentifier);
        using var keyring = TestKeyring.Create();
        keyring.Add(key.Certificate);
        LoadsAsTheUnsignedOneDoes(SignedByTool("globals", key), keyring.Serial);
    }

    /// <summary>The signed loader leaves what the unsigned one leaves: the same programs and global data.</summary>
    private static void LoadsAsTheUnsignedOneDoes(BpfLoaderImage signed, int? keyring)
    {
        Assert.True(signed.IsSignable && signed.IsSigned);
        using var unsigned = Open("globals", keyring: null);
        unsigned.GlobalDataSection(".rodata").Write(0, 5u);
        unsigned.Load(Open("globals", null).RecordLoader());
        using var light = Open("globals", keyring);
        light.GlobalDataSection(".rodata").Write(0, 5u); // global data set before load is the run's input, not signed
        light.Load(signed);

        foreach (var program in unsigned.Programs.Where(p => p.IsLoaded))
            Assert.Equal(XlatedInstructions.WithoutMapIds(program.LoadedHandle.GetTranslatedInstructions()),
                XlatedInstructions.WithoutMapIds(light.Program(program.Name).LoadedHandle.GetTranslatedInstructions()));
        foreach (var data in unsigned.GlobalData)
            Assert.Equal(LightLoaderTests.Contents(data.Map.Map), LightLoaderTests.Contents(light.GlobalDataSection(data.SectionName).Map.Map));
        Assert.Equal(5u, light.Program("run_globals").TestRun().ReturnValue);
    }

    [KernelFact(BpfProgramType.Syscall, nameof(FeatureProbes.SignableLoaders))]
    public void TamperedLoaderDataIsRefusedByTheLoadersHashCheckAndLeavesNothing()
    {
        // Verified by the kernel or not (where it cannot verify, no keyring is named), the loader checks its data.
        int? keyring = FeatureProbes.SignedPrograms.Supported && TestKeyring.Probe(TestSigningKey.Algorithm.Rsa).Supported ? 0 : null;
        using var key = TestSigningKey.Create(TestSigningKey.Algorithm.Rsa);
        using var ring = keyring is null ? null : TestKeyring.Create();
        if (ring is not null)
        {
            ring.Add(key.Certificate);
            keyring = ring.Serial;
        }
        var signed = SignedByTool("globals", key);
        var leaks = new LeakCheck();
        // The instructions (and so the signature) are untouched; the data they hash is not what was signed.
        var tampered = BpfLoaderImage.FromBytes(signed.ToBytes());
        tampered.Data[^1] ^= 0x5a;
        using (var obj = Open("globals", keyring))
        {
            var e = Assert.Throws<BpfLoaderSignatureException>(() => obj.Load(tampered));
            Assert.Contains("step 1 of", e.Message);
            Assert.Contains("check the loader's data against the SHA-256 its signed instructions hold", e.Message);
            Assert.Equal(Errno.EINVAL, e.Errno);
            Assert.Equal(BpfObjectState.Failed, obj.State);
        }
        leaks.AssertNothingLeaked();
    }

    [KernelFact(BpfProgramType.Syscall, nameof(FeatureProbes.SignedPrograms), KernelNeeds.TestRsaKeyring)]
    public void ALoaderSignedWithAnotherKeyIsRefusedAtItsLoad()
    {
        using var trusted = TestSigningKey.Create(TestSigningKey.Algorithm.Rsa);
        using var other = TestSigningKey.Create(TestSigningKey.Algorithm.Rsa);
        using var keyring = TestKeyring.Create();
        keyring.Add(trusted.Certificate);
        var leaks = new LeakCheck();
        using (var obj = Open("globals", keyring.Serial))
        {
            var e = Assert.Throws<BpfLoaderSignatureException>(() => obj.Load(SignedByTool("globals", other)));
            Assert.Contains("load the signed loader program", e.Message);
            Assert.Contains("refused the loader's signature", e.Message);
            Assert.Equal(Errno.ENOKEY, e.Errno);
        }
        leaks.AssertNothingLeaked();
    }

    [KernelFact(BpfProgramType.Syscall, nameof(FeatureProbes.SignedPrograms), KernelNeeds.TestRsaKeyring)]
    public void ChangedInstructionsFailTheSignature()
    {
        using var key = TestSigningKey.Create(TestSigningKey.Algorithm.Rsa);
        using var keyring = TestKeyring.Create();
        keyring.Add(key.Certificate);
        var tampered = BpfLoaderImage.FromBytes(SignedByTool("globals", key).ToBytes());
        tampered.Instructions[^1] ^= 1UL << 40; // an immediate of the last instruction (exit's, unused)
        using var obj = Open("globals", keyring.Serial);
        var e = Assert.Throws<BpfLoaderSignatureException>(() => obj.Load(tampered));
        Assert.Equal(Errno.EKEYREJECTED, e.Errno);
        Assert.Contains("does not verify", e.Message);
    }

    [KernelFact(BpfProgramType.Syscall, BpfMapType.Ringbuf, BpfMapType.PerCpuArray)]
    public void AnUnsignedLoaderIsRefusedWhenAKeyringDemandsASignature()
    {
        using var obj = Open("globals", keyring: -3);
        var e = Assert.Throws<BpfLoaderSignatureException>(() => obj.Load(Open("globals", null).RecordLoader()));
        Assert.Equal(0, e.Errno);
        Assert.Contains("LoaderKeyring (-3) demands a signed loader, but this one is not signed", e.Message);
        Assert.Contains("LightSigningKey", e.Message);
    }

    [KernelFact(BpfProgramType.Syscall, nameof(FeatureProbes.SignableLoaders), KernelNeeds.TestRsaKeyring)]
    public void ASignatureVerifiedOnlyWhereTheKernelCanOrItSaysWhy()
    {
        using var key = TestSigningKey.Create(TestSigningKey.Algorithm.Rsa);
        using var keyring = TestKeyring.Create();
        keyring.Add(key.Certificate);
        var signed = SignedByTool("globals", key);
        var leaks = new LeakCheck();
        using (var obj = Open("globals", keyring.Serial))
        {
            if (FeatureProbes.SignedPrograms.Supported)
            {
                obj.Load(signed);
                Assert.Equal(3u, obj.Program("run_globals").TestRun().ReturnValue);
            }
            else
            {
                var e = Assert.Throws<BpfLoaderSignatureException>(() => obj.Load(signed));
                Assert.Equal(Errno.EOPNOTSUPP, e.Errno);
                Assert.Contains($"load the signed loader program (keyring {keyring.Serial})", e.Message);
                Assert.Contains("cannot verify BPF program signatures (built without CONFIG_SYSTEM_DATA_VERIFICATION)", e.Message);
                Assert.Contains("EOPNOTSUPP", FeatureProbes.SignedPrograms.Reason);
            }
        }
        leaks.AssertNothingLeaked();
    }

    [KernelFact(BpfProgramType.Syscall, nameof(FeatureProbes.SignableLoaders))]
    public void AKeyringThatDoesNotExistIsNamed()
    {
        if (!FeatureProbes.SignedPrograms.Supported && !FeatureProbes.SignedPrograms.Reason.Contains("EOPNOTSUPP"))
            return; // the signature field is unknown: nothing to name
        using var key = TestSigningKey.Create(TestSigningKey.Algorithm.Rsa);
        using var obj = Open("globals", keyring: -1); // this thread has no thread keyring
        var e = Assert.Throws<BpfLoaderSignatureException>(() => obj.Load(SignedByTool("globals", key)));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("keyring -1 does not exist or is not usable by this process", e.Message);
    }

    [Fact]
    public void OnlyASignableLoaderTakesASignatureAndTheSignatureSurvivesTheBytes()
    {
        using var opened = Open("globals", null);
        Assert.Throws<InvalidOperationException>(() => opened.RecordLoader().WithSignature(new byte[] { 1 }));
        var signable = opened.RecordLoader(signable: true);
        Assert.False(signable.IsSigned);
        Assert.Equal(signable.InstructionCount * 8, signable.SignedContent.Length);
        var signed = BpfLoaderImage.FromBytes(signable.WithSignature(new byte[] { 1, 2, 3 }).ToBytes());
        Assert.True(signed.IsSigned);
        Assert.Equal(new byte[] { 1, 2, 3 }, signed.Signature);
        Assert.Equal(signable.SignedContent.ToArray(), signed.SignedContent.ToArray());
    }

    [Fact]
    public void AnImageOfAnotherFormatVersionIsRefusedSayingSo()
    {
        var bytes = Open("globals", null).RecordLoader().ToBytes();
        BitConverter.TryWriteBytes(bytes.AsSpan(8), BpfLoaderImage.FormatVersion + 1);
        var e = Assert.Throws<BpfFormatException>(() => BpfLoaderImage.FromBytes(bytes));
        Assert.Contains($"format version {BpfLoaderImage.FormatVersion + 1}; this BpfSkeleton reads version {BpfLoaderImage.FormatVersion}", e.Message);
        "BPFSKLD1"u8.CopyTo(bytes);
        Assert.Contains("format version 1", Assert.Throws<BpfFormatException>(() => BpfLoaderImage.FromBytes(bytes)).Message);
    }

    [Fact]
    public void GenLoaderNamesAMissingSigningKeyAsABuildError()
    {
        using var key = TestSigningKey.Create(TestSigningKey.Algorithm.Rsa);
        var output = Path.Combine(key.Directory, "out.loader");
        var (code, text) = BpfskTests.Run("gen-loader", TestObjects.PathOf("globals"), "-o", output, "--sign-key", key.KeyPath + ".missing", "--sign-cert", key.CertificatePath);
        Assert.Equal(1, code);
        Assert.Contains(": error BPFSK023:", text);
        Assert.Contains("signing key", text);
        Assert.False(File.Exists(output));
        (code, text) = BpfskTests.Run("gen-loader", TestObjects.PathOf("globals"), "-o", output, "--sign-key", key.CertificatePath, "--sign-cert", key.CertificatePath);
        Assert.Equal(1, code);
        Assert.Contains(": error BPFSK023:", text);
    }
}
