using System.Runtime.CompilerServices;

namespace SquadAlbert.Analysis.Projection;

/// <summary>
/// x^y for the UMAP layout's inner loop, as exp2(y · log2 x) with short polynomials instead of the C library's
/// powf: the layout evaluates it once per attraction and per negative sample (about 10⁸ times for 10k points), and
/// its SGD noise dwarfs the error. log2 of the mantissa (centred on [√½, √2)) is a degree-6 Chebyshev fit of
/// log2(1 + f)/f (absolute error 6.3e−7), 2^f on [−½, ½] a degree-5 fit (relative error 1.0e−7); in float
/// arithmetic the result is within 2e−5 relative of the exact power for normal x and results
/// (FastPowerTests). Non-normal inputs (zero, subnormal, infinite, NaN) fall back to <see cref="MathF.Pow"/>;
/// exponents of the result are clamped to the float range, so an overflow gives about 2^127, not infinity (the layout's
/// ratios stay finite where inf/inf would be NaN).
/// </summary>
internal static class FastPower
{
    private const int MantissaBits = 23;
    private const int ExponentBias = 127;
    private const int MantissaMask = (1 << MantissaBits) - 1;

    // log2(1 + f) = f · (L0 + f·(L1 + …)), f ∈ [√½ − 1, √2 − 1].
    private const float L0 = 1.4426965230465452f;
    private const float L1 = -0.7213601785760269f;
    private const float L2 = 0.48061312547290963f;
    private const float L3 = -0.35952445546337675f;
    private const float L4 = 0.2961195572220484f;
    private const float L5 = -0.26796387051465587f;
    private const float L6 = 0.16818659110579423f;

    // 2^f = E0 + f·(E1 + …), f ∈ [−½, ½].
    private const float E0 = 1.0000000754548972f;
    private const float E1 = 0.6931471880262285f;
    private const float E2 = 0.2402210748530821f;
    private const float E3 = 0.05550357114219461f;
    private const float E4 = 0.009676031918326564f;
    private const float E5 = 0.0013390863364533504f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Pow(float x, float y) =>
        float.IsNormal(x) && x > 0 ? Exp2(y * Log2(x)) : MathF.Pow(x, y);

    /// <summary>log2 of a positive normal float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Log2(float x)
    {
        var bits = BitConverter.SingleToInt32Bits(x);
        var exponent = (bits >> MantissaBits) - ExponentBias;
        // Mantissa in [1, 2); above √2 halve it (exponent + 1) so f = m − 1 stays within [√½ − 1, √2 − 1].
        var mantissaBits = bits & MantissaMask;
        var high = mantissaBits > 0x3504F3 ? 1 : 0; // 0x3504F3: the mantissa of √2
        var mantissa = BitConverter.Int32BitsToSingle(mantissaBits | ((ExponentBias - high) << MantissaBits));
        var f = mantissa - 1f;
        var polynomial = L0 + (f * (L1 + (f * (L2 + (f * (L3 + (f * (L4 + (f * (L5 + (f * L6)))))))))));
        return exponent + high + (f * polynomial);
    }

    /// <summary>2^z, z clamped to the exponents of normal floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Exp2(float z)
    {
        z = Math.Clamp(z, -126f, 127f);
        var whole = MathF.Round(z);
        var f = z - whole;
        var polynomial = E0 + (f * (E1 + (f * (E2 + (f * (E3 + (f * (E4 + (f * E5)))))))));
        // Scale by 2^whole: add it to the exponent field (whole + bias stays within 1..254 after the clamp, and
        // polynomial ∈ [0.70, 1.42] keeps the sum in range).
        return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(polynomial) + ((int)whole << MantissaBits));
    }
}
