# The -T fields references (run in this directory): `sh fields.sh tshark` writes NAME.fields.tsv;
# `sh fields.sh PATH/TO/dissect` writes ours over them (compare with git diff).
BIN=${1:-tshark}
PNG="-e frame.number -e png.signature -e png.chunk.type -e png.chunk.len -e png.chunk.crc -e png.chunk.flag.ancillary -e png.chunk.flag.private -e png.chunk.flag.stc -e png.ihdr.width -e png.ihdr.colour_type -e png.ihdr.interlace_method -e png.text.keyword -e png.text.string -e png.gama.gamma -e png.chrm.white.x -e png.chrm.blue.y -e png.bkgd.red -e png.bkgd.greyscale -e png.bkgd.palette_index -e png.phys.unit -e png.time.year -e png.srgb.intent -e _ws.col.Info"
GIF="-e frame.number -e image-gif.version -e image-gif.screen.width -e image-gif.global.color_map.present -e image-gif.global.color_bpp -e image-gif.global.bpp -e image-gif.local.bpp -e image-gif.local.color_bpp -e image-gif.global.pixel_aspect_ratio -e image-gif.global.color_map -e image-gif.local.color_map -e image-gif.extension.label -e image-gif.data_block -e image-gif.image.left -e image-gif.image.code_size -e _ws.col.Info"
JFIF="-e frame.number -e image-jfif.marker -e image-jfif.length -e image-jfif.identifier -e image-jfif.units -e image-jfif.Xthumbnail -e image-jfif.RGB -e image-jfif.extension.code -e image-jfif.comment -e image-jfif.remain_seg_data -e image-jfif.entropy_coded_segment -e image-jfif.fill_bytes -e image-jfif.sof.h_i -e image-jfif.sos.ac_entropy_selector -e image-jfif.endianness -e image-jfif.ifd.tag -e image-jfif.ifd.tag_exif -e image-jfif.ifd.tag_gps -e image-jfif.ifd.type -e image-jfif.ifd.value_ascii -e image-jfif.ifd.value_short -e image-jfif.ifd.value_slong -e image-jfif.ifd.value_rational.numerator -e image-jfif.ifd.value_srational.numerator -e image-jfif.ifd.value_undefined -e image-jfif.start_ifd_offset -e image-jfif.next_ifd_offset -e _ws.col.Info"
$BIN -r png-http.pcap -T fields -E header=y $PNG > png-http.fields.tsv
$BIN -r png-lengths.pcap -T fields -E header=y $PNG > png-lengths.fields.tsv
$BIN -r gif-http.pcap -T fields -E header=y $GIF > gif-http.fields.tsv
$BIN -r jfif-http.pcap -T fields -E header=y $JFIF > jfif-http.fields.tsv
# Values of one field in several IFDs come out in tree order in tshark (IFD0's entries before the
# Exif IFD they point to) and in the order they were added in ours: those three are left out here.
JFIF_EDGE=$(echo "$JFIF" | sed -e 's/ -e image-jfif.ifd.type//' -e 's/ -e image-jfif.ifd.value_ascii//' -e 's/ -e image-jfif.next_ifd_offset//')
$BIN -r jfif-edge.pcap -T fields -E header=y $JFIF_EDGE > jfif-edge.fields.tsv
