namespace KernelGateway.Tests.Fixtures.Spark.Connect.Errors;

/// <summary>
/// A failure as Spark reports it: the error condition (class), its message parameters and SQLSTATE, the JVM
/// exception class Spark throws for it with that class's superclasses (what ErrorInfo's <c>reason</c> and
/// <c>classes</c> carry), and the message (<see cref="Exception.Message"/>) exactly as the status will carry it.
/// </summary>
internal sealed class SparkError : Exception
{
    private SparkError(string errorClass, IReadOnlyDictionary<string, string> parameters, JvmException exception, string message)
        : base(message)
    {
        ErrorClass = errorClass;
        Parameters = parameters;
        Jvm = exception;
    }

    public string ErrorClass { get; }

    public string SqlState => SparkErrorCatalog.SqlState(ErrorClass);

    public IReadOnlyDictionary<string, string> Parameters { get; }

    public JvmException Jvm { get; }

    /// <summary>An error with Spark's message for the condition, followed by <paramref name="suffix"/> (a query
    /// position or context, as the exception class appends it).</summary>
    public static SparkError Of(string errorClass, JvmException exception, IReadOnlyDictionary<string, string>? parameters = null, string suffix = "")
    {
        parameters ??= new Dictionary<string, string>();
        return new SparkError(errorClass, parameters, exception, SparkErrorCatalog.Message(errorClass, parameters) + suffix);
    }

    /// <summary>A condition whose only parameter is Spark's <c>handle</c> (the INVALID_HANDLE family).</summary>
    public static SparkError Handle(string subClass, string handle) =>
        Of("INVALID_HANDLE." + subClass, JvmException.SparkSql, new Dictionary<string, string> { ["handle"] = handle });

    public static SparkError Cursor(string subClass, IReadOnlyDictionary<string, string>? parameters = null) =>
        Of("INVALID_CURSOR." + subClass, JvmException.SparkSql, parameters);

    public static SparkError Canceled() => Of("OPERATION_CANCELED", JvmException.SparkSql);

    /// <summary>INTERNAL_ERROR with a free-text message (what the fixture reports for what it cannot do).</summary>
    public static SparkError Internal(string message) =>
        Of("INTERNAL_ERROR", JvmException.Spark, new Dictionary<string, string> { ["message"] = message });
}

/// <summary>A JVM exception class and its superclasses up to and including java.lang.Object, as Spark's
/// ErrorUtils.allClasses lists them for the <c>classes</c> metadata and FetchErrorDetails' error_type_hierarchy.</summary>
internal sealed record JvmException(IReadOnlyList<string> Hierarchy)
{
    private const string Exception = "java.lang.Exception", Throwable = "java.lang.Throwable", Object = "java.lang.Object";
    private const string Runtime = "java.lang.RuntimeException";

    public string Name => Hierarchy[0];

    public static readonly JvmException Analysis = new(["org.apache.spark.sql.AnalysisException", Exception, Throwable, Object]);

    public static readonly JvmException ExtendedAnalysis = new(["org.apache.spark.sql.catalyst.ExtendedAnalysisException", .. Analysis.Hierarchy]);

    public static readonly JvmException Parse = new(["org.apache.spark.sql.catalyst.parser.ParseException", .. Analysis.Hierarchy]);

    public static readonly JvmException SparkSql = new(["org.apache.spark.SparkSQLException", "java.sql.SQLException", Exception, Throwable, Object]);

    public static readonly JvmException Spark = new(["org.apache.spark.SparkException", Exception, Throwable, Object]);

    public static readonly JvmException NumberFormat = new(["org.apache.spark.SparkNumberFormatException", "java.lang.NumberFormatException",
        "java.lang.IllegalArgumentException", Runtime, Exception, Throwable, Object]);

    public static readonly JvmException Arithmetic = new(["org.apache.spark.SparkArithmeticException", "java.lang.ArithmeticException", Runtime, Exception, Throwable, Object]);

    public static readonly JvmException IllegalArgument = new(["org.apache.spark.SparkIllegalArgumentException", "java.lang.IllegalArgumentException", Runtime, Exception, Throwable, Object]);

    public static readonly JvmException NoSuchElement = new(["org.apache.spark.SparkNoSuchElementException", "java.util.NoSuchElementException", Runtime, Exception, Throwable, Object]);
}
