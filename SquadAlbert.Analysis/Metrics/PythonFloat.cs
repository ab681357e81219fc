using System.Globalization;
using System.Text;

namespace SquadAlbert.Analysis.Metrics;

/// <summary>
/// Python's <c>repr(float)</c>, which <c>json.dumps</c> uses: the shortest string that round-trips, written in
/// positional notation with a trailing ".0" for integral values, and in exponent notation (<c>1e-05</c>,
/// <c>1e+16</c>) only when the decimal exponent is below -4 or at least 16.
/// </summary>
public static class PythonFloat
{
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }
        var (digits, pointPosition) = ShortestDigits(Math.Abs(value));
        var builder = new StringBuilder();
        if (value < 0)
        {
            builder.Append('-');
        }
        // pointPosition is where the decimal point sits relative to the digits: value = 0.DIGITS x 10^pointPosition.
        if (pointPosition is > -4 and <= 16)
        {
            if (pointPosition <= 0)
            {
                builder.Append("0.").Append('0', -pointPosition).Append(digits);
            }
            else if (pointPosition >= digits.Length)
            {
                builder.Append(digits).Append('0', pointPosition - digits.Length).Append(".0");
            }
            else
            {
                builder.Append(digits.AsSpan(0, pointPosition)).Append('.').Append(digits.AsSpan(pointPosition));
            }
        }
        else
        {
            builder.Append(digits[0]);
            if (digits.Length > 1)
            {
                builder.Append('.').Append(digits.AsSpan(1));
            }
            var exponent = pointPosition - 1;
            builder.Append('e').Append(exponent < 0 ? '-' : '+')
                .Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>The significant digits of .NET's shortest round-trip form (same digits as Python's repr) and the point position.</summary>
    private static (string Digits, int PointPosition) ShortestDigits(double positive)
    {
        var text = positive.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOf('E', StringComparison.Ordinal);
        var exponent = exponentAt < 0 ? 0 : int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        var pointAt = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerLength = pointAt < 0 ? mantissa.Length : pointAt;
        var allDigits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        return (digits, integerLength - leadingZeros + exponent);
    }
}
