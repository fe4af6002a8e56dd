#pragma once

#include "model/image_tensor.h"
#include "util/result.h"

#include <QImage>
#include <QString>

namespace attnscope::ui {

// Decodes an image file for a vision model: EXIF orientation applied, first frame of animations,
// alpha composited on white, greyscale made RGB. Huge images are decoded scaled down so memory stays
// bounded (the longest side to kMaxSide; formats that cannot decode scaled are refused beyond 64
// megapixels); tiny or unreadable ones are refused with the reason.
struct DecodedImage {
    QImage image;            // RGB32, as shown to the user
    core::ImageTensor rgb;   // (3, H, W), values 0..255
    QSize original;          // size in the file
};

constexpr int kMaxSide = 4096;
constexpr int kMinSide = 8;
constexpr int kAllocationLimitMb = 256;  // the decoder's buffer: 64 megapixels at 4 bytes
// Larger pictures are refused from their header: even decoded scaled down (JPEG) they cost seconds.
constexpr qint64 kMaxPixels = 268'000'000;

core::Result<DecodedImage> decodeImageFile(const QString& path);
// The same from the file's bytes; `name` is for messages.
core::Result<DecodedImage> decodeImageBytes(const QByteArray& bytes, const QString& name);
core::ImageTensor tensorFromImage(const QImage& rgb32);

}  // namespace attnscope::ui
