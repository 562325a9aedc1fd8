using System;
using System.Text;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Name comparisons without decoding must agree with decoding and comparing, for any bytes.</summary>
public class Utf8TextTests
{
    [Theory]
    [InlineData(new byte[] { (byte)'.', (byte)'b', (byte)'s', (byte)'s' }, ".bss", true)]
    [InlineData(new byte[] { (byte)'.', (byte)'b', (byte)'s' }, ".bss", false)]
    [InlineData(new byte[] { (byte)'.', (byte)'b', (byte)'s', (byte)'s', (byte)'x' }, ".bss", false)]
    [InlineData(new byte[] { 0xc3, 0xa9 }, "é", true)]
    [InlineData(new byte[] { (byte)'a', 0xc3, 0xa9 }, "aé", true)]
    [InlineData(new byte[] { 0xff }, "\uFFFD", true)]
    [InlineData(new byte[] { 0xf0, 0x9f, 0x98, 0x80 }, "\U0001F600", true)]
    [InlineData(new byte[] { (byte)'a', 0xff }, "a", false)]
    [InlineData(new byte[0], "", true)]
    public void AgreesWithDecoding(byte[] utf8, string text, bool expected)
    {
        Assert.Equal(expected, Utf8Text.EqualsString(utf8, text));
        Assert.Equal(Encoding.UTF8.GetString(utf8) == text, Utf8Text.EqualsString(utf8, text));
    }

    [Fact]
    public void AgreesWithDecodingOnRandomBytes()
    {
        var random = new Random(1234);
        byte[] alphabet = { (byte)'a', (byte)'b', (byte)'.', 0xc3, 0xa9, 0xff, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80 };
        for (int round = 0; round < 20_000; round++)
        {
            var bytes = new byte[random.Next(0, 7)];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = alphabet[random.Next(alphabet.Length)];
            var other = new byte[random.Next(0, 7)];
            for (int i = 0; i < other.Length; i++) other[i] = alphabet[random.Next(alphabet.Length)];
            string text = Encoding.UTF8.GetString(random.Next(2) == 0 ? bytes : other);
            Assert.True(Encoding.UTF8.GetString(bytes) == text == Utf8Text.EqualsString(bytes, text),
                $"{Convert.ToHexString(bytes)} vs \"{text}\"");
        }
    }
}
