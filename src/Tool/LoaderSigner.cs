using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using BpfSkeleton.Light;

namespace BpfSkeleton.Tool
{
    /// <summary>
    /// Signs a signable light skeleton loader for Linux 6.18's BPF program signatures, in the shape the kernel's
    /// <c>verify_pkcs7_signature</c> takes (and bpftool's <c>gen skeleton -S</c> makes): a CMS SignedData over
    /// exactly the loader's instruction bytes (<see cref="BpfLoaderImage.SignedContent"/>), detached (the kernel
    /// supplies the content), SHA-256, no signed attributes, no certificates (the kernel finds the key in the
    /// keyring it is given), the signer named by its subject key identifier where the certificate has one (the id
    /// the kernel gives an X.509 key), else by issuer and serial number. RSA (PKCS#1 v1.5) and ECDSA keys.
    /// </summary>
    internal static class LoaderSigner
    {
        private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

        public static BpfLoaderImage Sign(BpfLoaderImage image, string keyPath, string certificatePath)
        {
            using var certificate = LoadCertificate(keyPath, certificatePath);
            var content = new ContentInfo(image.SignedContent.ToArray());
            var cms = new SignedCms(content, detached: true);
            bool hasKeyIdentifier = certificate.Extensions[Oids.SubjectKeyIdentifier] is not null;
            var signer = new CmsSigner(hasKeyIdentifier ? SubjectIdentifierType.SubjectKeyIdentifier : SubjectIdentifierType.IssuerAndSerialNumber, certificate)
            {
                DigestAlgorithm = new Oid(Sha256Oid),
                IncludeOption = X509IncludeOption.None,
            };
            // With no signed attributes and plain data content, the signature is over the content's digest itself.
            cms.ComputeSignature(signer, silent: true);
            return image.WithSignature(cms.Encode());
        }

        private static X509Certificate2 LoadCertificate(string keyPath, string certificatePath)
        {
            try
            {
                var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
                if (!certificate.HasPrivateKey)
                    throw new SigningException($"'{keyPath}' holds no private key for the certificate in '{certificatePath}'");
                return certificate;
            }
            catch (CryptographicException e)
            {
                throw new SigningException($"cannot use key '{keyPath}' with certificate '{certificatePath}': {e.Message}");
            }
        }

        private static class Oids
        {
            public const string SubjectKeyIdentifier = "2.5.29.14";
        }
    }

    /// <summary>A key or certificate the signer cannot use: the tool reports it as a build error.</summary>
    internal sealed class SigningException(string message) : Exception(message);
}
