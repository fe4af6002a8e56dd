#include "session/image_input.h"

#include "util/input_file.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImageReader>
#include <QPainter>

namespace attnscope::ui {

core::ImageTensor tensorFromImage(const QImage& image) {
    core::ImageTensor t{3, image.height(), image.width(), {}};
    t.data.resize(size_t(3) * size_t(t.height) * size_t(t.width));
    for (int y = 0; y < t.height; ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        for (int x = 0; x < t.width; ++x) {
            t.at(0, y, x) = float(qRed(line[x]));
            t.at(1, y, x) = float(qGreen(line[x]));
            t.at(2, y, x) = float(qBlue(line[x]));
        }
    }
    return t;
}

core::Result<DecodedImage> decodeImageFile(const QString& path) {
    // Read as bytes first: only regular files (a FIFO or a device would block the decoder), bounded.
    auto bytes = core::readInputFile(path, core::kMaxImageFileBytes);
    if (!bytes) return bytes.error();
    return decodeImageBytes(*bytes, QFileInfo(path).fileName());
}

core::Result<DecodedImage> decodeImageBytes(const QByteArray& bytes, const QString& name) {
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);  // EXIF orientation
    if (!reader.canRead())
        return core::inputError(QStringLiteral("%1: not an image AttnScope can read (%2; formats: %3)")
                                    .arg(name, reader.errorString(), QString::fromLatin1(QImageReader::supportedImageFormats().join(", "))));
    DecodedImage out;
    out.original = reader.size();
    if (out.original.isValid() && qint64(out.original.width()) * out.original.height() > kMaxPixels)
        return core::inputError(QStringLiteral("%1: the image is %2 x %3 pixels, more than AttnScope decodes (%4 megapixels)")
                                    .arg(name).arg(out.original.width()).arg(out.original.height()).arg(kMaxPixels / 1000000));
    if (out.original.isValid() && (out.original.width() < kMinSide || out.original.height() < kMinSide))
        return core::inputError(QStringLiteral("%1: the image is %2 x %3 pixels; AttnScope needs at least %4 x %4")
                                    .arg(name).arg(out.original.width()).arg(out.original.height()).arg(kMinSide));
    if (out.original.isValid() && std::max(out.original.width(), out.original.height()) > kMaxSide)
        reader.setScaledSize(out.original.scaled(kMaxSide, kMaxSide, Qt::KeepAspectRatio));  // decode small, not decode then shrink
    reader.setAllocationLimit(kAllocationLimitMb);  // a corrupt or hostile header cannot ask for more
    QImage img = reader.read();
    const qint64 pixels = out.original.isValid() ? qint64(out.original.width()) * out.original.height() : 0;
    if (img.isNull() && pixels * 4 > qint64(kAllocationLimitMb) * 1024 * 1024)
        return core::inputError(QStringLiteral("%1: the image is %2 x %3 pixels, too large to decode (the limit is %4 megapixels)")
                                    .arg(name).arg(out.original.width()).arg(out.original.height()).arg(kAllocationLimitMb / 4));
    if (img.isNull())
        return core::inputError(QStringLiteral("%1: cannot decode the image (%2)").arg(name, reader.errorString()));
    if (img.width() < kMinSide || img.height() < kMinSide)
        return core::inputError(QStringLiteral("%1: the image is %2 x %3 pixels; AttnScope needs at least %4 x %4")
                                    .arg(name).arg(img.width()).arg(img.height()).arg(kMinSide));
    QImage rgb(img.size(), QImage::Format_RGB32);  // alpha over white, greyscale and palettes to RGB
    rgb.fill(Qt::white);
    {
        QPainter p(&rgb);
        p.drawImage(0, 0, img.convertToFormat(QImage::Format_ARGB32_Premultiplied));
    }
    out.image = rgb;
    out.rgb = tensorFromImage(rgb);
    return out;
}

}  // namespace attnscope::ui
