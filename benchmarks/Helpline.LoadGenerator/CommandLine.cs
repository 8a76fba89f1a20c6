using System.Globalization;

namespace Helpline.LoadGenerator;

/// <summary>A command line the program cannot act on; the message says why.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// <c>--name value</c> pairs after the mode. Each option is read once with its default; anything
/// left unread afterwards is an unknown option.
/// </summary>
internal sealed class CommandLine
{
    public const string Usage = """
        Helpline load generator: drives a running system (deploy/local/run.sh --detach) over its public edges.

        Usage:
          dotnet run -c Release --project benchmarks/Helpline.LoadGenerator -- latency  [options]
          dotnet run -c Release --project benchmarks/Helpline.LoadGenerator -- simulate [options]
          dotnet run -c Release --project benchmarks/Helpline.LoadGenerator -- intake   [options]

        latency   N advisors on /hubs/advisor take every offer; calls are posted at a fixed rate and the time
                  from each 202 Accepted to the ContactOffered an advisor receives is measured, beside a bare
                  RabbitMQ publish->consume round trip on the same broker (idle, then during the calls).
        simulate  A helpline day compressed into a few minutes: Poisson arrivals following an hourly profile,
                  callers who hang up when their patience runs out, advisors who accept, decline or miss
                  offers, talk, wrap up and take breaks. Prints what it observed.
        intake    Calls posted to Intake alone at a fixed rate (benchmarks/intake-alone.sh stops Console first and
                  counts the contacts once it is back): accepted calls per second, POST -> 202, CPU per call.

        Common options (addresses must be loopback):
          --intake URL            Intake                                      http://127.0.0.1:5080
          --console URL           Console                                     http://127.0.0.1:5081
          --rabbitmq URI          RabbitMQ (latency floor only)               amqp://helpline-intake:<password>@127.0.0.1:5674/helpline
          --rabbitmq-password-file F  that default's password                 .data/secrets/rabbitmq-intake-password
          --admin NAME            Console admin who creates the advisors      admin
          --admin-password-file F file with that admin's password             .data/secrets/admin-password
          --intake-key-file F     file with Intake's integration key (calls)  .data/secrets/integration-key
          --withheld P            share of callers withholding their number   0.3
          --help                  this text

        latency options:
          --advisors N            advisors signed in                          200
          --rate R                calls per second                            50
          --seconds S             measured seconds of calls                   60
          --warmup S              seconds of calls before, not measured       5
          --talk MIN-MAX          seconds an advisor keeps a call             1-3
          --offer-timeout S       a call not offered by then is reported      30
          --floor-messages N      RabbitMQ round trips per floor phase        2000
          --data DIR              run.sh's data folder, for the servers' pids .data
                                  (CPU per call of each server's process tree from /proc)

        intake options:
          --rate R                calls per second                            2000
          --seconds S             measured seconds of calls                   20
          --warmup S              seconds of calls before, not measured       3
          --hang-up 0|1           hang every accepted call up at the end      1
          --data DIR              run.sh's data folder (CPU per call)         .data

        simulate options:
          --advisors N            advisors signed in                          10
          --rate R                mean calls per second over the day          0.5
          --seconds S             wall-clock length of the day                300
          --day-hours H           helpline hours the day stands for           6.5
          --opening HH:MM         time of day it opens (for the clock)        09:30
          --profile W,W,...       relative demand per hour from opening       1.3,1.2,0.9,0.7,1.1,1.0,0.8
          --max-calls N           upper bound on calls                        2000
          --seed N                seed for the arrival schedule               random
          --patience MIN-MAX      seconds a caller waits before hanging up    5-60
          --talk MIN-MAX          seconds of conversation                     5-20
          --answer-delay MIN-MAX  seconds before an advisor reacts            0.5-3
          --wrap-up MIN-MAX       seconds of wrap-up                          1-5
          --decline P             chance an advisor declines an offer         0.05
          --miss P                chance an advisor lets an offer ring out    0.03
          --break P               chance of a break after a call              0.1
          --break-length MIN-MAX  seconds of a break                          5-20
        """;

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public CommandLine(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        for (var i = 0; i < arguments.Count; i += 2)
        {
            var name = arguments[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
            {
                throw new UsageException($"Expected an option such as --rate, found '{name}'.");
            }

            if (i + 1 >= arguments.Count)
            {
                throw new UsageException($"{name} needs a value.");
            }

            if (!_values.TryAdd(name[2..], arguments[i + 1]))
            {
                throw new UsageException($"{name} is given twice.");
            }
        }
    }

    /// <summary>A token Ctrl-C cancels; the process then carries on, so a run can stop what it started (sign advisors off, stop servers).</summary>
    public static CancellationTokenSource CancelledByCtrlC()
    {
        var interrupted = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, press) =>
        {
            press.Cancel = true;
            interrupted.Cancel();
        };
        return interrupted;
    }

    /// <summary>Throws for any option no mode read.</summary>
    public void EnsureAllRead()
    {
        var unknown = _values.Keys.Where(name => !_read.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"Unknown option(s) for this mode: {string.Join(", ", unknown.Select(name => "--" + name))}.");
        }
    }

    public Target Target() => new(
        Loopback("intake", "http://127.0.0.1:5080"),
        Loopback("console", "http://127.0.0.1:5081"),
        Broker(),
        Admin(),
        Secret("intake-key-file", ".data/secrets/integration-key", "Intake's integration key"));

    public string Text(string name, string fallback) =>
        Read(name, fallback, (string text, out string value) => (value = text).Length > 0, "a non-empty text");

    public int Int(string name, int fallback, int min, int max) =>
        Read(name, fallback, (string text, out int value) =>
                int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max,
            $"a whole number from {min} to {max}");

    public double Number(string name, double fallback, double min, double max) =>
        Read(name, fallback, (string text, out double value) =>
                double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= min && value <= max,
            string.Create(CultureInfo.InvariantCulture, $"a number from {min} to {max}"));

    public double Chance(string name, double fallback) => Number(name, fallback, 0, 1);

    public SecondsRange Range(string name, SecondsRange fallback) =>
        Read(name, fallback, SecondsRange.TryParse, "MIN-MAX in seconds, 0 <= MIN <= MAX <= 3600, e.g. 1-3");

    public TimeOnly Time(string name, TimeOnly fallback) =>
        Read(name, fallback, (string text, out TimeOnly value) =>
                TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out value),
            "a time of day as HH:MM");

    public IReadOnlyList<double> Weights(string name, IReadOnlyList<double> fallback) =>
        Read(name, fallback, (string text, out IReadOnlyList<double> value) =>
            {
                var weights = new List<double>();
                foreach (var part in text.Split(','))
                {
                    if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || weight < 0 || weight > 1000)
                    {
                        value = [];
                        return false;
                    }

                    weights.Add(weight);
                }

                value = weights;
                return weights.Sum() > 0;
            },
            "comma-separated numbers from 0 to 1000, not all 0");

    public int? OptionalInt(string name) =>
        Read(name, null, (string text, out int? value) =>
            {
                var parsed = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number);
                value = number;
                return parsed;
            },
            "a whole number");

    private Uri Loopback(string name, string fallback)
    {
        var uri = Read(name, new Uri(fallback), (string text, out Uri value) =>
            {
                var parsed = Uri.TryCreate(text, UriKind.Absolute, out var absolute);
                value = absolute!;
                return parsed;
            },
            "an absolute URL");
        return uri.IsLoopback
            ? uri
            : throw new UsageException($"--{name} must be a loopback address (127.0.0.1, ::1 or localhost): the load generator only drives a system on this machine.");
    }

    /// <summary>--rabbitmq, or the run command's broker as Intake's user (it has no guest).</summary>
    private Uri Broker() =>
        _values.ContainsKey("rabbitmq")
            ? Loopback("rabbitmq", "amqp://127.0.0.1:5674/helpline")
            : Loopback("rabbitmq", $"amqp://helpline-intake:{Uri.EscapeDataString(Secret("rabbitmq-password-file", ".data/secrets/rabbitmq-intake-password", "Intake's RabbitMQ password"))}@127.0.0.1:5674/helpline");

    private AdminCredentials Admin()
    {
        var userName = Read(name: "admin", fallback: "admin", (string text, out string value) => (value = text).Length > 0, "a user name");
        return new AdminCredentials(userName, Secret("admin-password-file", ".data/secrets/admin-password", "the Console admin's password"));
    }

    /// <summary>A secret kept in a file the run command wrote (never printed), named by option <paramref name="name"/>.</summary>
    private string Secret(string name, string fallback, string what)
    {
        var file = Read(name, fallback, (string text, out string value) => (value = text).Length > 0, "a file name");
        try
        {
            var secret = File.ReadAllText(file).Trim();
            return secret.Length > 0 ? secret : throw new UsageException($"{file} is empty.");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException(
                $"Cannot read {what} from {file} ({exception.GetType().Name}): start the system with deploy/local/run.sh from the repository root, run this from there too, or give --{name}.");
        }
    }

    private T Read<T>(string name, T fallback, Parser<T> parse, string expected)
    {
        _read.Add(name);
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return parse(text, out var value) ? value : throw new UsageException($"--{name} must be {expected}.");
    }

    private delegate bool Parser<T>(string text, out T value);
}

/// <summary>The running system: where it is, and the admin who creates the run's advisors.</summary>
internal sealed record Target(Uri Intake, Uri Console, Uri Broker, AdminCredentials Admin, string IntakeKey);
