using System.Text;
using QRCoder;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// A video for Chromium's fake camera (<c>--use-file-for-fake-video-capture</c>): YUV4MPEG2, 4:2:0 planar,
/// every frame showing the QR code of a text, as a phone camera would see a pass on another screen. Written as
/// Chromium's reader takes it (media/capture/video/file_video_capture_device.cc, <c>Y4mFileParser</c> and
/// <c>ParseY4MTags</c>): a file name ending in <c>y4m</c>; one header line of <c>W</c>, <c>H</c>, <c>F</c> (a
/// numerator:denominator frame rate), <c>I</c> (not mixed), <c>A</c> and <c>C420</c> ("Only I420 is supported"); then
/// each frame as <c>FRAME</c> and a newline before its Y, U and V planes, the file played again from the first
/// frame at its end.
/// </summary>
public static class FakeCamera
{
    private const byte Dark = 16;   // video-range black and white
    private const byte Light = 235;
    private const byte NeutralChroma = 128;

    public static string WriteQrVideo(string text, string path, int width = 640, int height = 480, int frames = 5)
    {
        using var generator = new QRCodeGenerator();
        using var code = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = code.ModuleMatrix; // with its quiet zone
        var modules = matrix.Count;
        var moduleSize = Math.Min(width, height) * 9 / 10 / modules;
        var left = (width - (modules * moduleSize)) / 2;
        var top = (height - (modules * moduleSize)) / 2;

        var luma = new byte[width * height];
        Array.Fill(luma, Light);
        for (var row = 0; row < modules; row++)
        {
            for (var column = 0; column < modules; column++)
            {
                if (!matrix[row][column])
                {
                    continue;
                }

                for (var y = 0; y < moduleSize; y++)
                {
                    Array.Fill(luma, Dark, ((top + (row * moduleSize) + y) * width) + left + (column * moduleSize), moduleSize);
                }
            }
        }

        var chroma = new byte[width / 2 * (height / 2)];
        Array.Fill(chroma, NeutralChroma);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420\n"));
        for (var frame = 0; frame < frames; frame++)
        {
            file.Write("FRAME\n"u8);
            file.Write(luma);
            file.Write(chroma); // U
            file.Write(chroma); // V
        }

        return path;
    }
}
