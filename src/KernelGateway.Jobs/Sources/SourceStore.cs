using System.Security.Cryptography;
using KernelGateway.Jobs.Model;
using KernelGateway.Notebooks.Format;

namespace KernelGateway.Jobs.Sources;

/// <summary>
/// Immutable, content-addressed notebook sources under <c>{data}/sources/</c>: a snapshot is stored as
/// <c>{sha256}.ipynb</c> (the hash of its bytes, lower-case hex), written to a temporary file and renamed into place,
/// then made read-only. The same bytes are stored once; a snapshot never changes, whatever happens to the file it
/// was taken from.
/// </summary>
public sealed class SourceStore(string root)
{
    /// <summary>The directory holding the snapshots.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Snapshots the notebook at <paramref name="path"/> as it is now.</summary>
    /// <exception cref="JobException">Invalid: the file cannot be read or is not an nbformat 4 notebook (the message says which and why).</exception>
    public string Snapshot(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new JobException(JobError.Invalid, $"cannot read the notebook {path}: {e.Message}", e);
        }
        return Put(bytes, path);
    }

    /// <summary>Stores notebook bytes (checked to be an nbformat 4 notebook) and returns their sha256; <paramref name="origin"/> names them in errors.</summary>
    /// <exception cref="JobException">Invalid: the bytes are not an nbformat 4 notebook.</exception>
    public string Put(byte[] bytes, string origin)
    {
        try { _ = NotebookDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes), origin); }
        catch (InvalidDataException e) { throw new JobException(JobError.Invalid, e.Message, e); }
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var target = PathOf(hash);
        if (File.Exists(target)) return hash;
        Directory.CreateDirectory(Root);
        var tmp = Path.Combine(Root, $".{hash}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(tmp, bytes);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(tmp, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // another writer stored the same bytes first: the content is the same
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        return hash;
    }

    /// <summary>The file of a snapshot.</summary>
    /// <exception cref="JobException">Invalid: <paramref name="hash"/> is not 64 lower-case hex digits.</exception>
    public string PathOf(string hash)
    {
        if (hash.Length != 64 || !hash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            throw new JobException(JobError.Invalid, $"'{hash}' is not a snapshot id (a sha256 in lower-case hex)");
        return Path.Combine(Root, hash + ".ipynb");
    }

    /// <summary>Reads a snapshot, checking that its bytes still hash to its name.</summary>
    /// <exception cref="JobException">NotFound: no such snapshot; Invalid: the file no longer matches its hash.</exception>
    public byte[] Read(string hash)
    {
        var path = PathOf(hash);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new JobException(JobError.NotFound, $"the source snapshot {hash} is missing from {Root}", e);
        }
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != hash)
            throw new JobException(JobError.Invalid, $"the source snapshot {path} was changed on disk: its bytes no longer hash to its name");
        return bytes;
    }
}
