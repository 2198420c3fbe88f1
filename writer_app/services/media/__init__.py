"""Images: the gallery and its rows, AI image generation, images in the body, the media library, files on disk."""
