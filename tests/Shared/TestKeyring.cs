using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BpfSkeleton.KernelFacts;

namespace BpfSkeleton;

/// <summary>
/// A fresh kernel keyring (type "keyring", linked into this process's keyring) holding X.509 certificates as
/// "asymmetric" keys, for signed loaders: add_key and keyctl called directly. Disposing invalidates the keyring.
/// </summary>
public sealed class TestKeyring : IDisposable
{
    private const int KeySpecProcessKeyring = -2;
    private const int KeyctlInvalidate = 21;

    private TestKeyring(int serial) => Serial = serial;

    /// <summary>The keyring's serial: what <c>BpfOpenOptions.LoaderKeyring</c> takes.</summary>
    public int Serial { get; }

    /// <summary>A new empty keyring under this process's keyring.</summary>
    public static TestKeyring Create()
    {
        int serial = AddKey("keyring", $"bpfsk-test-{Environment.ProcessId}-{Guid.NewGuid():N}", ReadOnlySpan<byte>.Empty, KeySpecProcessKeyring);
        return new TestKeyring(serial);
    }

    /// <summary>Adds <paramref name="certificate"/> (DER) as an asymmetric key; returns the key's serial.</summary>
    public int Add(X509Certificate2 certificate) => AddKey("asymmetric", "", certificate.RawData, Serial);

    public void Dispose() => Keyctl(KeyctlInvalidate, Serial);

    /// <summary>
    /// Whether a test certificate of <paramref name="algorithm"/> can be placed in a keyring of this process (a
    /// fresh keyring, a throwaway certificate added as an asymmetric key), with the kernel's reason when not: the
    /// kernel parses the certificate and checks its self-signature with its own crypto (ECDSA needs
    /// CONFIG_CRYPTO_ECDSA).
    /// </summary>
    public static ProbeResult Probe(TestSigningKey.Algorithm algorithm) => s_probes[(int)algorithm].Value;

    private static readonly Lazy<ProbeResult>[] s_probes =
    {
        new(() => ProbeOnce(TestSigningKey.Algorithm.Rsa)),
        new(() => ProbeOnce(TestSigningKey.Algorithm.EcdsaP256)),
    };

    private static ProbeResult ProbeOnce(TestSigningKey.Algorithm algorithm)
    {
        string what = $"a test {algorithm} certificate in a keyring of this process";
        try
        {
            using var keyring = Create();
            using var key = TestSigningKey.Create(algorithm);
            keyring.Add(key.Certificate);
            return new ProbeResult(true, $"{what}: supported");
        }
        catch (Exception e) when (e is InvalidOperationException or CryptographicException)
        {
            return new ProbeResult(false, $"{what}: not possible ({e.Message})");
        }
    }

    private static int AddKey(string type, string description, ReadOnlySpan<byte> payload, int keyring)
    {
        byte[] typeBytes = Encoding.ASCII.GetBytes(type + "\0"), descriptionBytes = Encoding.UTF8.GetBytes(description + "\0");
        unsafe
        {
            fixed (byte* t = typeBytes)
            fixed (byte* d = descriptionBytes)
            fixed (byte* p = payload)
            {
                long result = syscall(AddKeyNumber, (nint)t, (nint)d, payload.IsEmpty ? 0 : (nint)p, payload.Length, keyring);
                if (result < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    throw new InvalidOperationException($"add_key(\"{type}\") failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");
                }
                return (int)result;
            }
        }
    }

    private static void Keyctl(int command, int serial) => syscall(KeyctlNumber, command, serial, 0, 0, 0);

    private static long AddKeyNumber => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 217 : 248;
    private static long KeyctlNumber => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 219 : 250;

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, nint a1, nint a2, nint a3, nint a4, nint a5);
}

/// <summary>A throwaway signing key and its self-signed certificate, also written as PEM files for bpfsk.</summary>
public sealed class TestSigningKey : IDisposable
{
    public enum Algorithm { Rsa, EcdsaP256 }

    private TestSigningKey(X509Certificate2 certificate, string directory)
    {
        Certificate = certificate;
        Directory = directory;
    }

    public X509Certificate2 Certificate { get; }
    public string Directory { get; }
    public string KeyPath => System.IO.Path.Combine(Directory, "key.pem");
    public string CertificatePath => System.IO.Path.Combine(Directory, "cert.pem");

    /// <summary>A new key and certificate (with a subject key identifier unless <paramref name="withKeyIdentifier"/> is false).</summary>
    public static TestSigningKey Create(Algorithm algorithm, bool withKeyIdentifier = true)
    {
        var subject = new X500DistinguishedName($"CN=bpfsk test signing key {Guid.NewGuid():N}");
        AsymmetricAlgorithm key = algorithm == Algorithm.Rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            var request = key is RSA rsa
                ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            if (withKeyIdentifier)
                request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            var directory = System.IO.Directory.CreateTempSubdirectory("bpfsk-signing-").FullName;
            System.IO.File.WriteAllText(System.IO.Path.Combine(directory, "key.pem"), key is RSA r ? r.ExportPkcs8PrivateKeyPem() : ((ECDsa)key).ExportPkcs8PrivateKeyPem());
            System.IO.File.WriteAllText(System.IO.Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
            return new TestSigningKey(certificate, directory);
        }
        finally
        {
            key.Dispose();
        }
    }

    public void Dispose()
    {
        Certificate.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
