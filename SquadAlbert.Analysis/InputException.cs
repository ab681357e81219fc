namespace SquadAlbert.Analysis;

/// <summary>
/// Bad input from the user (a file, a folder, an option): the message alone must tell them what to fix,
/// naming the file, the field and the position. Front ends show it without a stack trace.
/// </summary>
public class InputException : Exception
{
    public InputException() { }
    public InputException(string message) : base(message) { }
    public InputException(string message, Exception innerException) : base(message, innerException) { }
}
